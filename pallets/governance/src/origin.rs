//! Tracks' origins and allow-lists.

use crate::Origin;
use alloc::vec::Vec;
use core::marker::PhantomData;
use frame_support::traits::{EnsureOrigin, Get, GetCallMetadata};
use gpow_primitives_governance::TrackId;

/// Ensures the origin of a passed proposal on any track; succeeds with the track.
pub struct EnsureAnyTrack;

impl<O: Into<Result<Origin, O>> + From<Origin>> EnsureOrigin<O> for EnsureAnyTrack {
	type Success = TrackId;

	fn try_origin(o: O) -> Result<TrackId, O> {
		o.into().map(|Origin::Track(track)| track)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<O, ()> {
		Ok(O::from(Origin::Track(0)))
	}
}

/// Ensures the origin of a passed proposal on track `Id`. Use it beside `EnsureRoot` in an
/// `EitherOf` wherever that track may act.
pub struct EnsureTrack<Id>(PhantomData<Id>);

impl<O, Id> EnsureOrigin<O> for EnsureTrack<Id>
where
	O: Into<Result<Origin, O>> + From<Origin>,
	Id: Get<TrackId>,
{
	type Success = ();

	fn try_origin(o: O) -> Result<(), O> {
		match EnsureAnyTrack::try_origin(o)? {
			track if track == Id::get() => Ok(()),
			other => Err(O::from(Origin::Track(other))),
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<O, ()> {
		Ok(O::from(Origin::Track(Id::get())))
	}
}

/// Which calls each track may enact.
pub trait TrackCalls<Call> {
	/// Whether `track` may enact `call`.
	fn allows(track: TrackId, call: &Call) -> bool;
	/// The allow-list of `track` as `(pallet, call)` names, for the runtime API.
	fn allowed_calls(track: TrackId) -> Vec<(Vec<u8>, Vec<u8>)>;
}

/// The calls a call dispatches in turn (a `Utility` batch's calls), to check them against an
/// allow-list.
pub trait InnerCalls: Sized {
	/// The calls `self` dispatches with its own origin, or `None` if it is not a batch.
	fn inner_calls(&self) -> Option<&[Self]>;
}

/// Allow-lists by name: `(pallet, call)` pairs as the runtime names them, `"*"` for every call of
/// a pallet, and a check of a listed call's arguments.
pub trait AllowLists<Call> {
	/// The allow-list of `track` (empty for an unknown track).
	fn list(track: TrackId) -> &'static [(&'static str, &'static str)];

	/// Whether `track` may enact `call`, a call on its list, with these arguments (for example:
	/// only the `upgrade` track may change the governance tracks' own parameter sets).
	fn admits(_track: TrackId, _call: &Call) -> bool {
		true
	}
}

/// How deep batches may nest inside a proposal's call.
pub const MAX_BATCH_DEPTH: u32 = 4;

/// [`TrackCalls`] from [`AllowLists`]: a call is allowed if its pallet and name are on the list
/// and the list admits its arguments; a batch is allowed if every call inside it is (batches nest
/// at most [`MAX_BATCH_DEPTH`] deep).
pub struct AllowListByName<L>(PhantomData<L>);

impl<L> AllowListByName<L> {
	fn allows_at<Call: GetCallMetadata + InnerCalls>(
		track: TrackId,
		call: &Call,
		depth: u32,
	) -> bool
	where
		L: AllowLists<Call>,
	{
		if let Some(inner) = call.inner_calls() {
			return depth < MAX_BATCH_DEPTH
				&& inner.iter().all(|c| Self::allows_at(track, c, depth + 1));
		}
		let meta = call.get_call_metadata();
		let listed = L::list(track).iter().any(|(pallet, function)| {
			*pallet == meta.pallet_name && (*function == "*" || *function == meta.function_name)
		});
		listed && L::admits(track, call)
	}
}

impl<L: AllowLists<Call>, Call: GetCallMetadata + InnerCalls> TrackCalls<Call>
	for AllowListByName<L>
{
	fn allows(track: TrackId, call: &Call) -> bool {
		Self::allows_at(track, call, 0)
	}

	fn allowed_calls(track: TrackId) -> Vec<(Vec<u8>, Vec<u8>)> {
		L::list(track)
			.iter()
			.map(|(p, f)| (p.as_bytes().to_vec(), f.as_bytes().to_vec()))
			.collect()
	}
}
