//! The forum: posts, citations, and how REP flows through them.

use super::*;
use gpow_primitives_reputation::CITATION_WEIGHT_ONE;

/// The state of one walk of REP through the citation graph.
pub(crate) struct Flow {
	/// Citations are followed from posts at depth below this.
	pub depth_limit: u8,
	/// Posts visited so far.
	pub visits: u32,
	/// The most posts the walk may visit.
	pub max_visits: u32,
}

impl Flow {
	fn can_visit(&self) -> bool {
		self.visits < self.max_visits
	}
}

impl<T: Config> Pallet<T> {
	/// Validates and stores a post; holds its deposit from `poster`.
	pub(crate) fn do_add_post(
		poster: &T::AccountId,
		authors: Vec<(T::AccountId, Perbill)>,
		content_hash: T::Hash,
		citations: Vec<(CitationTarget, i32)>,
	) -> Result<PostId, DispatchError> {
		ensure!(!authors.is_empty(), Error::<T>::NoAuthors);
		let authors: BoundedVec<_, T::MaxAuthors> =
			authors.try_into().map_err(|_| Error::<T>::TooManyAuthors)?;
		let mut weight_sum: u64 = 0;
		for (i, (who, weight)) in authors.iter().enumerate() {
			ensure!(
				!authors.iter().take(i).any(|(other, _)| other == who),
				Error::<T>::DuplicateAuthor
			);
			weight_sum = weight_sum.saturating_add(weight.deconstruct().into());
		}
		ensure!(
			weight_sum == u64::from(Perbill::one().deconstruct()),
			Error::<T>::AuthorWeightsNotWhole
		);

		ensure!(citations.len() <= T::MaxCitations::get() as usize, Error::<T>::TooManyCitations);
		let next = NextPostId::<T>::get();
		let mut records = BoundedVec::<CitationRecord, T::MaxCitations>::new();
		let mut magnitude_sum: u64 = 0;
		for (target, weight) in citations {
			ensure!(
				(-CITATION_WEIGHT_ONE..=CITATION_WEIGHT_ONE).contains(&weight),
				Error::<T>::CitationWeightOutOfRange
			);
			let magnitude = weight.unsigned_abs();
			magnitude_sum = magnitude_sum.saturating_add(magnitude.into());
			ensure!(
				magnitude_sum <= CITATION_WEIGHT_ONE as u64,
				Error::<T>::CitationWeightsExceedWhole
			);
			ensure!(!records.iter().any(|c| c.target == target), Error::<T>::DuplicateCitation);
			match target {
				CitationTarget::Incinerator => {
					ensure!(weight >= 0, Error::<T>::NegativeIncineration)
				},
				CitationTarget::Post(id) => {
					ensure!(id < next, Error::<T>::CitesNewerPost);
					ensure!(Posts::<T>::contains_key(id), Error::<T>::CitedPostNotFound);
				},
			}
			records
				.try_push(CitationRecord {
					target,
					weight: Perbill::from_parts(magnitude),
					negative: weight < 0,
					flowed: 0,
				})
				.map_err(|_| Error::<T>::TooManyCitations)?;
		}

		let post = next;
		let following = next.checked_add(1).ok_or(Error::<T>::IdsExhausted)?;
		let footprint = Footprint::from_encodable((&authors, &content_hash, &records));
		let ticket = T::PostConsideration::new(poster, footprint)?;
		for citation in records.iter() {
			if let CitationTarget::Post(id) = citation.target {
				Posts::<T>::mutate(id, |p| {
					if let Some(p) = p {
						p.cited_by = p.cited_by.saturating_add(1);
					}
				});
			}
		}
		NextPostId::<T>::put(following);
		Posts::<T>::insert(
			post,
			PostRecord {
				poster: poster.clone(),
				authors,
				content_hash,
				citations: records,
				value: 0,
				created_at: frame_system::Pallet::<T>::block_number(),
				cited_by: 0,
				pools: 0,
				ticket,
			},
		);
		Self::deposit_event(Event::PostAdded { post, poster: poster.clone(), content_hash });
		Ok(post)
	}

	/// Removes an unused post of `who` and releases its deposit.
	pub(crate) fn do_remove_post(who: &T::AccountId, post: PostId) -> DispatchResult {
		let record = Posts::<T>::get(post).ok_or(Error::<T>::PostNotFound)?;
		ensure!(&record.poster == who, Error::<T>::NotPoster);
		ensure!(
			record.cited_by == 0 && record.pools == 0 && record.value == 0,
			Error::<T>::PostInUse
		);
		for citation in record.citations.iter() {
			if let CitationTarget::Post(id) = citation.target {
				Posts::<T>::mutate(id, |p| {
					if let Some(p) = p {
						p.cited_by = p.cited_by.saturating_sub(1);
					}
				});
			}
		}
		record.ticket.drop(who)?;
		Posts::<T>::remove(post);
		Self::deposit_event(Event::PostRemoved { post });
		Ok(())
	}

	/// `amount` REP reaches `post` at `depth`: it flows down positive citations, leaches along
	/// negative ones, and the rest goes to the authors. A positive amount is always absorbed in
	/// full (the caller already took it out of the supply).
	pub(crate) fn credit_post(post: PostId, amount: Rep, depth: u8, flow: &mut Flow) {
		let Some(mut record) = Posts::<T>::get(post) else { return };
		flow.visits = flow.visits.saturating_add(1);
		let mut kept = amount;
		let mut leached: Rep = 0;
		if depth < flow.depth_limit {
			for citation in record.citations.iter_mut() {
				let share = citation.weight.mul_floor(amount);
				if share == 0 {
					continue;
				}
				match (citation.target, citation.negative) {
					(CitationTarget::Incinerator, _) => {
						citation.flowed = citation.flowed.saturating_add(share);
						kept = kept.saturating_sub(share);
						Self::deposit_event(Event::Incinerated { post, amount: share });
					},
					(CitationTarget::Post(cited), false) => {
						if !flow.can_visit() {
							continue;
						}
						Self::credit_post(cited, share, depth.saturating_add(1), flow);
						citation.flowed = citation.flowed.saturating_add(share);
						kept = kept.saturating_sub(share);
					},
					(CitationTarget::Post(cited), true) => {
						if !flow.can_visit() {
							continue;
						}
						let taken = Self::debit_post(cited, share, depth.saturating_add(1), flow);
						citation.flowed = citation.flowed.saturating_add(taken);
						leached = leached.saturating_add(taken);
					},
				}
			}
		}
		let gained = kept.saturating_add(leached);
		record.value = record.value.saturating_add(gained);
		Self::credit_authors(&record.authors, gained);
		Posts::<T>::insert(post, record);
		if gained > 0 {
			Self::deposit_event(Event::PostCredited { post, amount: gained });
		}
	}

	/// `post` at `depth` must lose up to `amount` REP: it claws back along its positive
	/// citations, loses the rest of its own value (never below zero), and, if it bore all of it,
	/// gives back along its negative citations from what value it has left. Returns how much of
	/// `amount` was absorbed (what the caller gains).
	pub(crate) fn debit_post(post: PostId, amount: Rep, depth: u8, flow: &mut Flow) -> Rep {
		let Some(mut record) = Posts::<T>::get(post) else { return 0 };
		flow.visits = flow.visits.saturating_add(1);
		let follow = depth < flow.depth_limit;
		let mut clawed: Rep = 0;
		if follow {
			for citation in record.citations.iter_mut() {
				let CitationTarget::Post(cited) = citation.target else { continue };
				if citation.negative {
					continue;
				}
				let share = citation.weight.mul_floor(amount).min(citation.flowed);
				if share == 0 || !flow.can_visit() {
					continue;
				}
				let got = Self::debit_post(cited, share, depth.saturating_add(1), flow);
				citation.flowed = citation.flowed.saturating_sub(got);
				clawed = clawed.saturating_add(got);
			}
		}
		let own = amount.saturating_sub(clawed).min(record.value);
		let mut lost = own;
		if follow && own == amount.saturating_sub(clawed) {
			let mut budget = record.value.saturating_sub(own);
			for citation in record.citations.iter_mut() {
				let CitationTarget::Post(cited) = citation.target else { continue };
				if !citation.negative {
					continue;
				}
				let share = citation.weight.mul_floor(amount).min(citation.flowed).min(budget);
				if share == 0 || !flow.can_visit() {
					continue;
				}
				Self::credit_post(cited, share, depth.saturating_add(1), flow);
				citation.flowed = citation.flowed.saturating_sub(share);
				budget = budget.saturating_sub(share);
				lost = lost.saturating_add(share);
			}
		}
		record.value = record.value.saturating_sub(lost);
		Self::debit_authors(&record.authors, lost);
		Posts::<T>::insert(post, record);
		if lost > 0 {
			Self::deposit_event(Event::PostDebited { post, amount: lost });
		}
		clawed.saturating_add(own)
	}

	/// The shares of `amount` by author weight; the rounding remainder goes to the first author.
	fn author_shares(
		authors: &[(T::AccountId, Perbill)],
		amount: Rep,
	) -> impl Iterator<Item = (&T::AccountId, Rep)> {
		let shared = authors.iter().fold(0u128, |s, (_, w)| s.saturating_add(w.mul_floor(amount)));
		let remainder = amount.saturating_sub(shared);
		authors.iter().enumerate().map(move |(i, (who, w))| {
			let share = w.mul_floor(amount);
			(who, if i == 0 { share.saturating_add(remainder) } else { share })
		})
	}

	/// Mints `amount` REP to the authors, by weight.
	fn credit_authors(authors: &[(T::AccountId, Perbill)], amount: Rep) {
		if amount == 0 {
			return;
		}
		for (who, share) in Self::author_shares(authors, amount) {
			if share > 0 {
				Self::mint_free(who, share);
				Self::deposit_event(Event::RepCredited { who: who.clone(), amount: share });
			}
		}
	}

	/// Burns `amount` REP from the authors' free REP, by weight; what free REP cannot cover is
	/// forgiven.
	fn debit_authors(authors: &[(T::AccountId, Perbill)], amount: Rep) {
		if amount == 0 {
			return;
		}
		for (who, share) in Self::author_shares(authors, amount) {
			if share > 0 {
				let burned = Self::burn_free(who, share);
				Self::deposit_event(Event::RepDebited {
					who: who.clone(),
					amount: burned,
					forgiven: share.saturating_sub(burned),
				});
			}
		}
	}
}
