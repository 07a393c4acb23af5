// Connects to a node and prints the chain, the best block and Alice's REP.
//   node examples/best-block.mjs [ws://127.0.0.1:9944]

import { connect } from '@gpow/api';

const api = await connect(process.argv[2] ?? 'ws://127.0.0.1:9944', { noInitWarn: true });
const [chain, header] = await Promise.all([api.rpc.system.chain(), api.rpc.chain.getHeader()]);
const rep = await api.rpc.reputation.rep('5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY');
console.log(`${chain}: best block #${header.number.toNumber()} ${header.hash.toHex()}`);
console.log(`Alice: ${rep.free.toString()} free REP of ${rep.totalSupply.toString()}`);
await api.disconnect();
