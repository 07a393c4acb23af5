// On a dev chain: Root (Alice, the sudo key) registers a service type, then Bob offers 10 units of
// it at 1 GPOW per unit and sees his offer listed.
//   node examples/offer.mjs [ws://127.0.0.1:9944]

import { connect, offer, offers, submit } from '@gpow/api';
import { Keyring } from '@polkadot/keyring';
import { blake2AsHex } from '@polkadot/util-crypto';

const UNIT = 10n ** 12n;
const api = await connect(process.argv[2] ?? 'ws://127.0.0.1:9944', { noInitWarn: true });
const keyring = new Keyring({ type: 'sr25519' });
const [alice, bob] = [keyring.addFromUri('//Alice'), keyring.addFromUri('//Bob')];
const terms = {
  panelSize: 1,
  paramSet: 'default',
  deadline: 100,
  author: alice.address,
  authorShare: 0,
  validatorsShare: 0,
  minStake: 0,
};
const serviceType = (await api.query.services.nextTypeId()).toNumber();
await submit(api, api.tx.sudo.sudo(api.tx.services.registerType('example', blake2AsHex('example schema'), 'job', terms)), alice);
await offer(api, bob, { serviceType, capacity: 10, rate: UNIT, endpoint: 'https://bob.example/jobs' });
console.log(`service type ${serviceType}: ${JSON.stringify(await offers(api, serviceType))}`);
await api.disconnect();
