// Alice posts, Bob cites her post; a pool on Bob's post would send REP along the citation.
//   node examples/forum.mjs [ws://127.0.0.1:9944]

import { addPost, cite, connect, PARTS_PER_BILLION } from '@gpow/api';
import { Keyring } from '@polkadot/keyring';

const api = await connect(process.argv[2] ?? 'ws://127.0.0.1:9944', { noInitWarn: true });
const keyring = new Keyring({ type: 'sr25519' });
const [alice, bob] = [keyring.addFromUri('//Alice'), keyring.addFromUri('//Bob')];
const { post } = await addPost(api, alice, { content: 'A measured hashrate of the dev chain' });
const citing = await cite(api, bob, [{ post, weight: PARTS_PER_BILLION / 4 }]);
const stored = (await api.rpc.reputation.post(citing.post)).unwrap();
console.log(`post #${post} by Alice, cited 25 % by Bob's post #${citing.post}: ${JSON.stringify(stored.citations.toJSON())}`);
await api.disconnect();
