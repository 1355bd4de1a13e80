//! Plans: how many seats an account may fill.
//!
//! Every user holds a seat from the moment it is invited (pending invites hold
//! one, so an admin cannot oversubscribe by inviting first and activating later)
//! until it is removed. Disabled users keep theirs.

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    pub name: &'static str,
    pub seats: i64,
}

pub const PLANS: &[Plan] = &[
    Plan {
        name: "free",
        seats: 5,
    },
    Plan {
        name: "team",
        seats: 50,
    },
    Plan {
        name: "business",
        seats: 1000,
    },
];

/// Accounts made by open registration start on this plan.
pub const DEFAULT_PLAN: &str = "free";

pub fn plan(name: &str) -> Result<Plan> {
    PLANS
        .iter()
        .copied()
        .find(|p| p.name == name)
        .ok_or_else(|| {
            Error::invalid(
                "plan",
                format!(
                    "plan must be one of {}",
                    PLANS.iter().map(|p| p.name).collect::<Vec<_>>().join(", ")
                ),
            )
        })
}
