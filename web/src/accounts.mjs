// The accounts the dapp can sign with: those of the polkadot.js browser extension when one is
// installed, and the well-known dev accounts only on a development or local chain (their keys are
// public: offering them on a live chain would be an invitation to lose funds).

import { web3Accounts, web3Enable, web3FromSource } from '@polkadot/extension-dapp';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';

/** The dev accounts offered on development and local chains. */
export const DEV_NAMES = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie', 'Alice//stash', 'Bob//stash'];

/**
 * @typedef {object} Account
 * @property {string} address SS58
 * @property {string} label what the account picker shows
 * @property {'extension' | 'dev'} source
 * @property {() => Promise<[any, object]>} signer the signer and options for `submit` (@gpow/api) / `tx.signAndSend`
 */

/** True when the chain says it is a development or local chain (`system_chainType`). */
export function isDevChain(chainType) {
  return chainType.isDevelopment || chainType.isLocal;
}

/** The extension's accounts (asking it once for access), or [] when none is installed. */
async function extensionAccounts(ss58Format) {
  const extensions = await web3Enable('GPoW dapp');
  if (extensions.length === 0) return [];
  const found = await web3Accounts({ ss58Format });
  return found.map(({ address, meta }) => ({
    address,
    label: `${meta.name ?? address} (${meta.source})`,
    source: 'extension',
    signer: async () => [address, { signer: (await web3FromSource(meta.source)).signer }],
  }));
}

/** The dev accounts (//Alice, ...) as local key pairs. */
async function devAccounts(ss58Format) {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format });
  return DEV_NAMES.map((name) => {
    const pair = keyring.addFromUri(`//${name}`, { name });
    return { address: pair.address, label: `${name} (dev)`, source: 'dev', signer: async () => [pair, {}] };
  });
}

/**
 * Every account the dapp may sign with on the chain `api` is connected to: the extension's,
 * then, on a development or local chain only, the dev accounts.
 */
export async function loadAccounts(api) {
  const ss58Format = api.registry.chainSS58 ?? 42;
  const chainType = await api.rpc.system.chainType();
  const fromExtension = await extensionAccounts(ss58Format).catch(() => []);
  const dev = isDevChain(chainType) ? await devAccounts(ss58Format) : [];
  return { accounts: [...fromExtension, ...dev], chainType: chainType.toString() };
}
