// Alice publishes a fresh X25519 key as her SSK encryption key and reads it back (dev chain).
//   node examples/ssk-key.mjs [ws://127.0.0.1:9944]

import { connect, generateKeyPair, publishKey } from '@gpow/api';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';

const api = await connect(process.argv[2] ?? 'ws://127.0.0.1:9944', { noInitWarn: true });
const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
const { publicKey } = await generateKeyPair(); // keep its keyPair to open envelopes sent to Alice
const { version, inclusion } = await publishKey(api, alice, publicKey);
console.log(`key ${u8aToHex(publicKey)} published as version ${version} in block #${inclusion.number}`);
const published = (await api.rpc.ssk.encryptionKey(alice.address)).unwrap();
console.log(`ssk_encryptionKey: version ${published.version.toNumber()}, key ${published.key.toHex()}`);
await api.disconnect();
