//! The offer index: negotiation without a scan of the providers.
//!
//! Each service type has a 16-ary radix tree over the 96-bit key `rate ‖ offer id` (24 hex
//! digits: the rate as a `u64`, then the offer's id as a `u32`), so offers sit in rate order.
//! Every node keeps, for each of its 16 children, a [`Summary`] of the offers below it: how
//! many there are, the largest free capacity among them and their total weight (availability
//! stake plus one). The tree's depth is fixed, so every operation reads the same number of
//! nodes whatever the number of offers:
//!
//! - **Update** (an offer added, changed or removed): rewrites the 24 nodes on its key's path.
//! - **Negotiation** for a volume `v` at a maximum rate `r`: walks the path of the bound key
//!   `r ‖ u32::MAX`; the children left of the path are exactly the offers with a rate at most
//!   `r` (the *covered* subtrees, at most 15 per level). No covered offer: [`NoFit::Rate`] (or
//!   [`NoFit::NoOffers`]). No covered subtree whose largest free capacity reaches `v`:
//!   [`NoFit::Capacity`]. Otherwise it picks a covered subtree that fits, weighted by its total
//!   weight, and descends, at each level picking among the children that fit, weighted the
//!   same way, to an offer that fits. At most 48 node reads.
//!
//! The pick is weighted by availability stake but not exactly proportional among fitting
//! offers: a subtree's weight includes offers that are too full for `v`, so a subtree mixing
//! full and free offers is favoured over its share. Exact proportional sampling would need the
//! fitting weight per volume, which no fixed-size summary holds.

use super::*;
use gpow_primitives_services::NoFit;

/// Children per node.
pub const BRANCH: usize = 16;
/// Hex digits of a key: 16 for the rate, 8 for the offer id.
pub const KEY_DIGITS: u8 = 24;

/// What a node knows about the offers below one of its children.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
pub struct Summary {
	/// How many offers.
	pub offers: u32,
	/// The largest free capacity among them (0 for an offer whose stake is below the minimum).
	pub max_free: Volume,
	/// Their total weight: availability stake plus one each.
	pub weight: Rep,
}

impl Summary {
	/// The summary of one offer.
	pub fn of_offer(free: Volume, stake: Rep) -> Self {
		Self { offers: 1, max_free: free, weight: stake.saturating_add(1) }
	}

	/// The summary of the offers of both `self` and `other`.
	pub fn merge(self, other: &Self) -> Self {
		Self {
			offers: self.offers.saturating_add(other.offers),
			max_free: self.max_free.max(other.max_free),
			weight: self.weight.saturating_add(other.weight),
		}
	}

	/// The summary of all children of a node.
	fn of_node(node: &Node) -> Self {
		node.iter().fold(Self::default(), Self::merge)
	}

	/// Whether an offer below may take `volume`.
	fn fits(&self, volume: Volume) -> bool {
		self.offers > 0 && self.max_free >= volume
	}
}

/// A node: the summaries of its 16 children.
pub type Node = [Summary; BRANCH];

/// Where a node sits: its depth (0 for the root) and its key prefix of that many digits.
pub type NodeKey = (u8, u128);

/// The key of an offer.
pub fn offer_key(rate: u64, offer: OfferId) -> u128 {
	(u128::from(rate) << 32) | u128::from(offer)
}

/// The first `depth` digits of `key`.
fn prefix(key: u128, depth: u8) -> u128 {
	key.checked_shr(4 * u32::from(KEY_DIGITS - depth)).unwrap_or(0)
}

/// Digit `depth` of `key` (0 is the most significant).
fn digit(key: u128, depth: u8) -> usize {
	((key >> (4 * u32::from(KEY_DIGITS - 1 - depth))) & 0xF) as usize
}

/// A random number for step `step` of a negotiation seeded with `seed`.
fn random(seed: &[u8; 32], step: u32) -> u128 {
	let hash = sp_crypto_hashing::blake2_256(&(seed, step).encode());
	let mut bytes = [0u8; 16];
	bytes.copy_from_slice(&hash[..16]);
	u128::from_le_bytes(bytes)
}

/// Picks one of `choices` with probability proportional to its weight; `None` if empty.
fn pick_weighted<T: Copy>(choices: &[(T, Rep)], seed: &[u8; 32], step: u32) -> Option<T> {
	let total = choices.iter().fold(0u128, |sum, (_, w)| sum.saturating_add(*w));
	if total == 0 {
		return None;
	}
	let mut point = random(seed, step) % total;
	for (choice, weight) in choices {
		if point < *weight {
			return Some(*choice);
		}
		point -= *weight;
	}
	choices.last().map(|(c, _)| *c)
}

/// A negotiation's pick.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pick {
	/// The offer picked.
	pub offer: OfferId,
	/// How many offers are within the rate (fitting the volume or not).
	pub within_rate: u32,
}

impl<T: Config> Pallet<T> {
	/// Sets offer `key`'s leaf in `service_type`'s index to `leaf` (`Summary::default()`
	/// removes it) and updates every node on its path.
	pub(crate) fn index_set(service_type: ServiceTypeId, key: u128, leaf: Summary) {
		let mut child = leaf;
		for depth in (0..KEY_DIGITS).rev() {
			let node_key = (depth, prefix(key, depth));
			let mut node = OfferIndex::<T>::get(service_type, node_key);
			node[digit(key, depth)] = child;
			child = Summary::of_node(&node);
			if child.offers == 0 {
				OfferIndex::<T>::remove(service_type, node_key);
			} else {
				OfferIndex::<T>::insert(service_type, node_key, node);
			}
		}
	}

	/// The leaf of offer `key` in `service_type`'s index.
	pub(crate) fn index_leaf(service_type: ServiceTypeId, key: u128) -> Summary {
		let depth = KEY_DIGITS - 1;
		OfferIndex::<T>::get(service_type, (depth, prefix(key, depth)))[digit(key, depth)]
	}

	/// Picks an offer of `service_type` with a rate at most `max_rate` and free capacity for
	/// `volume`, with the randomness of `seed`; or says why none fits.
	pub(crate) fn index_pick(
		service_type: ServiceTypeId,
		max_rate: u64,
		volume: Volume,
		seed: &[u8; 32],
	) -> Result<Pick, NoFit> {
		let bound = offer_key(max_rate, OfferId::MAX);
		// The covered subtrees: (their node key, their summary).
		let mut covered: Vec<(NodeKey, Summary)> = Vec::new();
		let mut has_offers = false;
		for depth in 0..KEY_DIGITS {
			let here = prefix(bound, depth);
			let node = OfferIndex::<T>::get(service_type, (depth, here));
			if depth == 0 {
				has_offers = node.iter().any(|s| s.offers > 0);
			}
			let on_path = digit(bound, depth);
			// On the last level the bound's own leaf is within the rate too.
			let end = if depth + 1 == KEY_DIGITS { on_path + 1 } else { on_path };
			for (d, summary) in node.iter().enumerate().take(end) {
				if summary.offers > 0 {
					covered.push(((depth + 1, here * BRANCH as u128 + d as u128), *summary));
				}
			}
			if node[on_path].offers == 0 {
				break;
			}
		}
		let within_rate = covered.iter().fold(0u32, |n, (_, s)| n.saturating_add(s.offers));
		if within_rate == 0 {
			return Err(if has_offers { NoFit::Rate } else { NoFit::NoOffers });
		}
		let fitting: Vec<(NodeKey, Rep)> = covered
			.iter()
			.filter(|(_, s)| s.fits(volume))
			.map(|(k, s)| (*k, s.weight))
			.collect();
		let (mut depth, mut here) = pick_weighted(&fitting, seed, 0).ok_or(NoFit::Capacity)?;
		let mut step = 1;
		while depth < KEY_DIGITS {
			let node = OfferIndex::<T>::get(service_type, (depth, here));
			let children: Vec<(usize, Rep)> = node
				.iter()
				.enumerate()
				.filter(|(_, s)| s.fits(volume))
				.map(|(d, s)| (d, s.weight))
				.collect();
			// The parent's summary said a child fits, so one does.
			let d = pick_weighted(&children, seed, step).ok_or(NoFit::Capacity)?;
			here = here * BRANCH as u128 + d as u128;
			depth += 1;
			step += 1;
		}
		Ok(Pick { offer: (here & u128::from(OfferId::MAX)) as OfferId, within_rate })
	}
}
