//! Validation pools: opening (with the fee and the mint), panels, stakes, settlement, claims.

use super::*;
use crate::{forum::Flow, ledger::mul_div};
use frame_support::traits::{
	fungible::{Inspect, Mutate},
	tokens::Preservation,
};
use gpow_primitives_reputation::{Forum, ReputationLedger, ValidationPools};
use sp_runtime::{
	traits::{SaturatedConversion, Saturating},
	FixedPointNumber, Rounding,
};

/// Domain separation of panel draws.
const PANEL_DOMAIN: &[u8] = b"gpow/reputation/panel";

impl<T: Config> Pallet<T> {
	/// Opens a pool; see [`Pallet::initiate_pool`].
	pub(crate) fn do_open_pool(
		initiator: &T::AccountId,
		post: PostId,
		param_set: &ParamSetName,
		panel_size: u32,
		fee: BalanceOf<T>,
	) -> Result<PoolId, DispatchError> {
		Self::open_pool_backed_by(initiator, post, param_set, panel_size, fee, None, &[])
	}

	/// Opens a pool; a `backing` of `(backer, amount)` stakes `amount` of the backer's bond for
	/// the post, and `exclude` are kept off the panel besides the authors (see
	/// [`ValidationPools::open_backed_pool`]).
	pub(crate) fn open_pool_backed_by(
		initiator: &T::AccountId,
		post: PostId,
		param_set: &ParamSetName,
		panel_size: u32,
		fee: BalanceOf<T>,
		backing: Option<(T::AccountId, Rep)>,
		exclude: &[T::AccountId],
	) -> Result<PoolId, DispatchError> {
		let params = ParameterSets::<T>::get(param_set).ok_or(Error::<T>::UnknownParameterSet)?;
		ensure!(panel_size <= T::MaxPanelSize::get(), Error::<T>::PanelTooLarge);
		let mut post_record = Posts::<T>::get(post).ok_or(Error::<T>::PostNotFound)?;
		ensure!(
			fee >= params.min_fee && fee >= T::Currency::minimum_balance(),
			Error::<T>::FeeTooLow
		);
		if let Some((backer, amount)) = &backing {
			let bonded = Accounts::<T>::get(backer).map_or(0, |a| a.bonded);
			ensure!(*amount <= bonded, Error::<T>::InsufficientBond);
		}
		let pool = NextPoolId::<T>::get();
		let following = pool.checked_add(1).ok_or(Error::<T>::IdsExhausted)?;

		let (panel, quorum_base) = if panel_size > 0 {
			let skip: Vec<T::AccountId> = post_record
				.authors
				.iter()
				.map(|(author, _)| author.clone())
				.chain(exclude.iter().cloned())
				.collect();
			let (panel, weight) = Self::draw_panel(pool, &skip, panel_size)?;
			(Some(panel), weight)
		} else {
			(None, TotalIssuance::<T>::get())
		};

		// The fee: into the pot, then shared among current holders of free REP.
		let pot = Self::pot();
		let pot_before: u128 = T::Currency::balance(&pot).saturated_into();
		T::Currency::transfer(initiator, &pot, fee, Preservation::Preserve)?;
		let fee_u128: u128 = fee.saturated_into();
		let reserve = T::Currency::minimum_balance()
			.saturated_into::<u128>()
			.saturating_sub(pot_before);
		let (distributed, undistributed) =
			Self::distribute_fees(fee_u128.saturating_sub(reserve.min(fee_u128)));

		// The mint: after the fee, so the new REP earns nothing from its own pool's fee.
		let minted = params.minting_ratio.saturating_mul_int(fee_u128);
		let minted_for = params.stake_for_author.mul_floor(minted);
		let minted_against = minted.saturating_sub(minted_for);
		Self::pool_mint(minted);
		let backed = backing.as_ref().map_or(0, |(_, amount)| *amount);
		if let Some((backer, amount)) = &backing {
			Self::move_bond_to_pool(backer, *amount);
		}

		let now = frame_system::Pallet::<T>::block_number();
		let ends_at = now.saturating_add(params.duration);
		let bootstrap = pool == 0;
		post_record.pools = post_record.pools.saturating_add(1);
		Posts::<T>::insert(post, post_record);
		NextPoolId::<T>::put(following);
		Pools::<T>::insert(
			pool,
			PoolRecord {
				post,
				initiator: initiator.clone(),
				params,
				fee,
				minted_for,
				minted_against,
				stake_for: 0,
				stake_against: 0,
				backing,
				quorum_base,
				opened_at: now,
				ends_at,
				panel: panel.clone(),
				voters: 0,
				unclaimed_stakes: 0,
				remaining: minted.saturating_add(backed),
				bootstrap,
				state: PoolState::Open,
			},
		);
		Self::deposit_event(Event::FeesDistributed { pool, distributed, undistributed });
		Self::deposit_event(Event::PoolInitiated {
			pool,
			post,
			initiator: initiator.clone(),
			fee,
			minted_for,
			minted_against,
			ends_at,
			bootstrap,
		});
		if let Some(panel) = panel {
			Self::deposit_event(Event::PanelDrawn { pool, panel, weight: quorum_base });
		}
		Ok(pool)
	}

	/// The seed of draw `attempt` of `pool`: blake2-256 of the domain, the parent block hash,
	/// the pool id and the attempt.
	pub fn panel_seed(pool: PoolId, attempt: u32) -> [u8; 32] {
		let parent = frame_system::Pallet::<T>::parent_hash();
		sp_crypto_hashing::blake2_256(&(PANEL_DOMAIN, parent, pool, attempt).encode())
	}

	/// Draws up to `size` distinct members, weighted by free REP, skipping the accounts in
	/// `skip` (the post's authors and any excluded account); at most `4 · size` draws. Returns
	/// the panel and its members' free REP.
	pub(crate) fn draw_panel(
		pool: PoolId,
		skip: &[T::AccountId],
		size: u32,
	) -> Result<(PanelOf<T>, Rep), DispatchError> {
		let total = Self::sortition_total();
		ensure!(total > 0, Error::<T>::NoEligibleMembers);
		let mut panel = PanelOf::<T>::new();
		let mut weight: Rep = 0;
		for attempt in 0..size.saturating_mul(4) {
			if panel.len() as u32 >= size {
				break;
			}
			let Some(who) = Self::draw_member(Self::panel_seed(pool, attempt), total) else {
				continue;
			};
			if panel.contains(&who) || skip.contains(&who) {
				continue;
			}
			weight = weight.saturating_add(Accounts::<T>::get(&who).map_or(0, |a| a.free));
			if panel.try_push(who).is_err() {
				break;
			}
		}
		ensure!(!panel.is_empty(), Error::<T>::NoEligibleMembers);
		Ok((panel, weight))
	}

	/// Stakes free REP of `who` in `pool`; see [`Pallet::stake`].
	pub(crate) fn do_stake(
		who: &T::AccountId,
		pool_id: PoolId,
		side: Side,
		amount: Rep,
	) -> DispatchResult {
		let mut pool = Pools::<T>::get(pool_id).ok_or(Error::<T>::PoolNotFound)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(pool.state == PoolState::Open && now < pool.ends_at, Error::<T>::VotingClosed);
		if let Some(panel) = &pool.panel {
			ensure!(panel.contains(who), Error::<T>::NotOnPanel);
		}
		ensure!(amount > 0, Error::<T>::ZeroStake);
		let previous = Stakes::<T>::get(pool_id, who);
		if let Some(previous) = &previous {
			ensure!(previous.side == side, Error::<T>::StakeOnOtherSide);
		}
		if side == Side::Against {
			let is_author =
				Posts::<T>::get(pool.post).is_some_and(|p| p.authors.iter().any(|(a, _)| a == who));
			ensure!(!is_author, Error::<T>::AuthorStakingAgainst);
		}
		let free = Accounts::<T>::get(who).map_or(0, |a| a.free);
		ensure!(amount <= free, Error::<T>::InsufficientRep);

		Self::move_free_to_pool(who, amount);
		match side {
			Side::For => pool.stake_for = pool.stake_for.saturating_add(amount),
			Side::Against => pool.stake_against = pool.stake_against.saturating_add(amount),
		}
		pool.remaining = pool.remaining.saturating_add(amount);
		let stake = match previous {
			Some(previous) => previous.amount.saturating_add(amount),
			None => {
				pool.voters = pool.voters.saturating_add(1);
				pool.unclaimed_stakes = pool.unclaimed_stakes.saturating_add(1);
				amount
			},
		};
		Stakes::<T>::insert(pool_id, who, StakeRecord { side, amount: stake });
		Pools::<T>::insert(pool_id, pool);
		Self::deposit_event(Event::Staked { pool: pool_id, who: who.clone(), side, amount });
		Ok(())
	}

	/// Whether `pool` may settle before its window ends: nobody can stake any more (every unit
	/// of REP is staked, or every panel member has staked).
	fn can_settle_early(pool: &PoolRecordOf<T>) -> bool {
		match &pool.panel {
			Some(panel) => pool.voters as usize >= panel.len() || TotalFree::<T>::get() == 0,
			None => TotalFree::<T>::get() == 0,
		}
	}

	/// Settles `pool_id`; returns how many posts the REP flow visited.
	pub(crate) fn do_settle(pool_id: PoolId) -> Result<u32, DispatchError> {
		let mut pool = Pools::<T>::get(pool_id).ok_or(Error::<T>::PoolNotFound)?;
		ensure!(pool.state == PoolState::Open, Error::<T>::AlreadySettled);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now >= pool.ends_at || Self::can_settle_early(&pool), Error::<T>::VotingOpen);

		let params = &pool.params;
		let (m_for, m_against) = (pool.minted_for, pool.minted_against);
		let (s_against, backed) = (pool.stake_against, Self::backed(&pool));
		// The backing stakes for the post like a member, but only members count for the quorum.
		let s_for = pool.stake_for.saturating_add(backed);
		let total_for = m_for.saturating_add(s_for);
		let total_against = m_against.saturating_add(s_against);
		let members = pool.stake_for.saturating_add(s_against);
		let quorum_met =
			pool.quorum_base == 0 || params.quorum.mul_ceil(pool.quorum_base) <= members;
		let wins = params.win_ratio.mul_ceil(total_for.saturating_add(total_against)) <= total_for;
		let verdict = if pool.bootstrap {
			Verdict::Passed
		} else if !quorum_met {
			Verdict::NoQuorum
		} else if wins {
			Verdict::Passed
		} else {
			Verdict::Failed
		};

		let mut to_post: Rep = 0;
		let mut burned: Rep = 0;
		let mut member_winnings: Rep = 0;
		match verdict {
			Verdict::NoQuorum => burned = m_for.saturating_add(m_against),
			Verdict::Passed => {
				let forfeits = m_against.saturating_add(params.binding.mul_floor(s_against));
				if params.redistribute_losing_stakes && total_for > 0 {
					let post_share =
						mul_div(forfeits, m_for, total_for, Rounding::Down).unwrap_or(forfeits);
					member_winnings = forfeits.saturating_sub(post_share);
					to_post = m_for.saturating_add(post_share);
				} else {
					to_post = m_for;
					burned = forfeits;
				}
			},
			Verdict::Failed => {
				let forfeits =
					m_for.saturating_add(m_against).saturating_add(params.binding.mul_floor(s_for));
				if params.redistribute_losing_stakes && s_against > 0 {
					member_winnings = forfeits;
				} else {
					burned = forfeits;
				}
			},
		}
		let released = to_post.saturating_add(burned).min(pool.remaining);
		pool.remaining = pool.remaining.saturating_sub(released);
		Self::pool_release(released);
		pool.state = PoolState::Settled { verdict, member_winnings };
		let backing_returned = Self::return_pool_backing(pool_id, &mut pool);
		if pool.unclaimed_stakes == 0 && pool.remaining > 0 {
			burned = burned.saturating_add(pool.remaining);
			Self::pool_release(pool.remaining);
			pool.remaining = 0;
		}
		let post = pool.post;
		let bootstrap = pool.bootstrap;
		let depth_limit = pool.params.citation_depth.min(T::MaxCitationDepth::get());
		Pools::<T>::insert(pool_id, pool);

		let mut flow = Flow { depth_limit, visits: 0, max_visits: T::MaxPropagationVisits::get() };
		if to_post > 0 {
			Self::credit_post(post, to_post, 0, &mut flow);
		}
		Self::deposit_event(Event::PoolSettled {
			pool: pool_id,
			verdict,
			total_for,
			total_against,
			to_post,
			burned,
			member_winnings,
		});
		T::OutcomeHandler::on_pool_settled(&PoolOutcome {
			pool: pool_id,
			post,
			verdict,
			total_for,
			total_against,
			bootstrap,
			backing_returned,
		});
		Ok(flow.visits)
	}

	/// The REP backing `pool`, if it is a backed pool.
	fn backed(pool: &PoolRecordOf<T>) -> Rep {
		pool.backing.as_ref().map_or(0, |(_, amount)| *amount)
	}

	/// Returns the backing of a just-settled `pool` to its backer's bond; returns the backer and
	/// what went back.
	fn return_pool_backing(
		pool_id: PoolId,
		pool: &mut PoolRecordOf<T>,
	) -> Option<(T::AccountId, Rep)> {
		let (backer, stake) = pool.backing.clone()?;
		let payout =
			Self::payout(pool, &StakeRecord { side: Side::For, amount: stake }).min(pool.remaining);
		pool.remaining = pool.remaining.saturating_sub(payout);
		Self::return_backing(&backer, stake, payout);
		Self::deposit_event(Event::BackingReturned {
			pool: pool_id,
			who: backer.clone(),
			stake,
			payout,
		});
		Some((backer, payout))
	}

	/// What a member's `stake` returns from a pool settled with `verdict`.
	fn payout(pool: &PoolRecordOf<T>, stake: &StakeRecord) -> Rep {
		let PoolState::Settled { verdict, member_winnings } = pool.state else { return 0 };
		let winner = match verdict {
			Verdict::NoQuorum => return stake.amount,
			Verdict::Passed => Side::For,
			Verdict::Failed => Side::Against,
		};
		if stake.side == winner {
			let winning_stakes = match winner {
				Side::For => pool.stake_for.saturating_add(Self::backed(pool)),
				Side::Against => pool.stake_against,
			};
			let winnings =
				mul_div(stake.amount, member_winnings, winning_stakes, Rounding::Down).unwrap_or(0);
			stake.amount.saturating_add(winnings)
		} else {
			stake.amount.saturating_sub(pool.params.binding.mul_ceil(stake.amount))
		}
	}

	/// Claims `who`'s stake from a settled pool; see [`Pallet::claim`].
	pub(crate) fn do_claim(who: &T::AccountId, pool_id: PoolId) -> DispatchResult {
		let mut pool = Pools::<T>::get(pool_id).ok_or(Error::<T>::PoolNotFound)?;
		let stake = Stakes::<T>::get(pool_id, who).ok_or(Error::<T>::NoStake)?;
		ensure!(pool.state != PoolState::Open, Error::<T>::PoolNotSettled);
		let payout = Self::payout(&pool, &stake).min(pool.remaining);
		Stakes::<T>::remove(pool_id, who);
		Self::pay_from_pool(who, stake.amount, payout);
		pool.remaining = pool.remaining.saturating_sub(payout);
		pool.unclaimed_stakes = pool.unclaimed_stakes.saturating_sub(1);
		Self::deposit_event(Event::Claimed {
			pool: pool_id,
			who: who.clone(),
			stake: stake.amount,
			payout,
		});
		if pool.unclaimed_stakes == 0 {
			let dust = pool.remaining;
			Self::pool_release(dust);
			pool.remaining = 0;
			Self::deposit_event(Event::PoolClosed { pool: pool_id, dust });
		}
		Pools::<T>::insert(pool_id, pool);
		Ok(())
	}

	// ---- Reads for the runtime API ----

	/// An account's REP and claimable fees.
	pub fn rep_info(who: &T::AccountId) -> gpow_primitives_reputation::RepInfo<BalanceOf<T>> {
		let account = Accounts::<T>::get(who).unwrap_or_default();
		gpow_primitives_reputation::RepInfo {
			free: account.free,
			staked: account.staked,
			bonded: account.bonded,
			claimable_fees: Self::claimable_fees(who).saturated_into(),
			total_supply: TotalIssuance::<T>::get(),
		}
	}

	/// A post with its value and citations.
	pub fn post_info(
		post: PostId,
	) -> Option<gpow_primitives_reputation::PostInfo<T::AccountId, T::Hash, BlockNumberFor<T>>> {
		Posts::<T>::get(post).map(|p| gpow_primitives_reputation::PostInfo {
			poster: p.poster,
			authors: p.authors.into_inner(),
			content_hash: p.content_hash,
			citations: p
				.citations
				.iter()
				.map(|c| gpow_primitives_reputation::CitationInfo {
					target: c.target,
					weight: c.signed_weight(),
					flowed: c.flowed,
				})
				.collect(),
			value: p.value,
			created_at: p.created_at,
			cited_by: p.cited_by,
			pools: p.pools,
		})
	}

	/// A pool with its state and tallies.
	pub fn pool_info(
		pool: PoolId,
	) -> Option<gpow_primitives_reputation::PoolInfo<T::AccountId, BlockNumberFor<T>, BalanceOf<T>>>
	{
		Pools::<T>::get(pool).map(|p| gpow_primitives_reputation::PoolInfo {
			post: p.post,
			initiator: p.initiator,
			params: p.params,
			fee: p.fee,
			minted_for: p.minted_for,
			minted_against: p.minted_against,
			stake_for: p.stake_for,
			stake_against: p.stake_against,
			backing: p.backing,
			quorum_base: p.quorum_base,
			opened_at: p.opened_at,
			ends_at: p.ends_at,
			panel: p.panel.map(|panel| panel.into_inner()),
			voters: p.voters,
			unclaimed_stakes: p.unclaimed_stakes,
			remaining: p.remaining,
			bootstrap: p.bootstrap,
			status: match p.state {
				PoolState::Open => gpow_primitives_reputation::PoolStatus::Open,
				PoolState::Settled { verdict, member_winnings } => {
					gpow_primitives_reputation::PoolStatus::Settled { verdict, member_winnings }
				},
			},
		})
	}
}

impl<T: Config> ValidationPools<T::AccountId, BalanceOf<T>> for Pallet<T> {
	fn open_pool(
		initiator: &T::AccountId,
		post: PostId,
		params: &ParamSetName,
		panel_size: u32,
		fee: BalanceOf<T>,
	) -> Result<PoolId, DispatchError> {
		Self::do_open_pool(initiator, post, params, panel_size, fee)
	}

	fn open_backed_pool(
		initiator: &T::AccountId,
		post: PostId,
		params: &ParamSetName,
		panel_size: u32,
		fee: BalanceOf<T>,
		backer: &T::AccountId,
		backing: Rep,
		exclude: &[T::AccountId],
	) -> Result<PoolId, DispatchError> {
		Self::open_pool_backed_by(
			initiator,
			post,
			params,
			panel_size,
			fee,
			Some((backer.clone(), backing)),
			exclude,
		)
	}

	fn min_fee(params: &ParamSetName) -> Option<BalanceOf<T>> {
		ParameterSets::<T>::get(params).map(|p| p.min_fee)
	}

	fn verdict(pool: PoolId) -> Option<Verdict> {
		match Pools::<T>::get(pool)?.state {
			PoolState::Open => None,
			PoolState::Settled { verdict, .. } => Some(verdict),
		}
	}

	fn open_pool_weight(panel_size: u32) -> Weight {
		T::WeightInfo::initiate_pool(panel_size.min(T::MaxPanelSize::get()))
	}
}

impl<T: Config> Forum<T::AccountId, T::Hash> for Pallet<T> {
	fn add_post(
		poster: &T::AccountId,
		authors: Vec<(T::AccountId, Perbill)>,
		content_hash: T::Hash,
		citations: Vec<(CitationTarget, i32)>,
	) -> Result<PostId, DispatchError> {
		Self::do_add_post(poster, authors, content_hash, citations)
	}

	fn post_exists(post: PostId) -> bool {
		Posts::<T>::contains_key(post)
	}

	fn post_authors(post: PostId) -> Vec<(T::AccountId, Perbill)> {
		Posts::<T>::get(post).map(|p| p.authors.into_inner()).unwrap_or_default()
	}

	fn add_post_weight(authors: u32, citations: u32) -> Weight {
		T::WeightInfo::add_post(
			authors.min(T::MaxAuthors::get()),
			citations.min(T::MaxCitations::get()),
		)
	}
}

impl<T: Config> ReputationLedger<T::AccountId> for Pallet<T> {
	fn rep_of(who: &T::AccountId) -> Rep {
		Accounts::<T>::get(who)
			.map_or(0, |a| a.free.saturating_add(a.staked).saturating_add(a.bonded))
	}

	fn free_rep_of(who: &T::AccountId) -> Rep {
		Accounts::<T>::get(who).map_or(0, |a| a.free)
	}

	fn total_rep() -> Rep {
		TotalIssuance::<T>::get()
	}
}

impl<T: Config> AvailabilityBonds<T::AccountId> for Pallet<T> {
	fn bond(who: &T::AccountId, amount: Rep) -> DispatchResult {
		Self::do_bond(who, amount)
	}

	fn unbond(who: &T::AccountId, amount: Rep) -> DispatchResult {
		Self::do_unbond(who, amount)
	}

	fn slash_bond(who: &T::AccountId, amount: Rep) -> Rep {
		Self::do_slash_bond(who, amount)
	}

	fn bonded_of(who: &T::AccountId) -> Rep {
		Accounts::<T>::get(who).map_or(0, |a| a.bonded)
	}
}
