//! Tests of the services pallet.
use crate::{mock::*, *};
