/**
 * A citation: `{ post: id, weight }` or `{ incinerator: true, weight }`, the weight in parts per
 * billion, signed (negative weights leach REP from the cited post; the Incinerator burns REP and
 * takes positive weights only).
 *
 * @typedef {{ post: number | bigint, weight: number } | { incinerator: true, weight: number }} Citation
 */
/**
 * Adds a post (a content hash, the content itself lives off chain) by `authors` (accounts with
 * their shares in parts per billion, summing to 1e9; default: the signer alone) citing
 * `citations`. The signer pays a deposit for the post. Resolves with the post's id.
 *
 * @param {import('@polkadot/api').ApiPromise} api
 * @param {import('@polkadot/api/types').AddressOrPair} signer the poster
 * @param {object} post
 * @param {string | Uint8Array} post.content the content (hashed with blake2-256) or, as a 0x-prefixed 32-byte hex, its hash
 * @param {Array<[string, number]>} [post.authors]
 * @param {Citation[]} [post.citations]
 * @returns {Promise<{ post: number, inclusion: import('./submit.mjs').Inclusion }>}
 */
export function addPost(api: import("@polkadot/api").ApiPromise, signer: import("@polkadot/api/types").AddressOrPair, { content, authors, citations }: {
    content: string | Uint8Array;
    authors?: Array<[string, number]>;
    citations?: Citation[];
}): Promise<{
    post: number;
    inclusion: import("./submit.mjs").Inclusion;
}>;
/**
 * Cites earlier posts: a new post by the signer whose only content is `note`, with `citations`.
 *
 * @param {import('@polkadot/api').ApiPromise} api
 * @param {import('@polkadot/api/types').AddressOrPair} signer
 * @param {Citation[]} citations
 * @param {string} [note] the citing post's content
 * @returns {Promise<{ post: number, inclusion: import('./submit.mjs').Inclusion }>}
 */
export function cite(api: import("@polkadot/api").ApiPromise, signer: import("@polkadot/api/types").AddressOrPair, citations: Citation[], note?: string): Promise<{
    post: number;
    inclusion: import("./submit.mjs").Inclusion;
}>;
/** Parts per billion: an author's share, a citation's weight (`CITATION_WEIGHT_ONE`, 100 %). */
export const PARTS_PER_BILLION: 1000000000;
/**
 * A citation: `{ post: id, weight }` or `{ incinerator: true, weight }`, the weight in parts per
 * billion, signed (negative weights leach REP from the cited post; the Incinerator burns REP and
 * takes positive weights only).
 */
export type Citation = {
    post: number | bigint;
    weight: number;
} | {
    incinerator: true;
    weight: number;
};
