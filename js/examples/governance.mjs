// Alice proposes to change the block reward on the `parameters` track and Bob votes for it with
// 100 REP (dev chain: both are founding REP holders).
//   node examples/governance.mjs [ws://127.0.0.1:9944]

import { connect, propose, TRACKS, vote } from '@gpow/api';
import { Keyring } from '@polkadot/keyring';

const UNIT = 10n ** 12n;
const api = await connect(process.argv[2] ?? 'ws://127.0.0.1:9944', { noInitWarn: true });
const keyring = new Keyring({ type: 'sr25519' });
const [alice, bob] = [keyring.addFromUri('//Alice'), keyring.addFromUri('//Bob')];
const call = api.tx.parameters.setParameter({ Rewards: { BlockReward: [null, 5n * UNIT] } });
const { proposal, pool } = await propose(api, alice, { track: TRACKS.parameters, call, reasons: 'Set the block reward to 5 GPOW' });
await vote(api, bob, { proposal, aye: true, amount: 100n * UNIT });
const status = (await api.rpc.governance.proposal(proposal)).unwrap();
console.log(`proposal ${proposal} (pool ${pool}): ${status.status.type}, tally ${(await api.rpc.reputation.pool(pool)).unwrap().totalFor} for`);
await api.disconnect();
