//! Roles of the people who log in to Akta (see DOMAIN.md, "Who uses it").

use serde::{Deserialize, Serialize};

/// What a user may do. A social secretary is a contact on a case, never a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// Contact person / therapist: journals, plans, reports; auditor once a year.
    Staff,
    /// Unit manager: sees every file of the unit, audit rounds, deadlines, access log.
    Manager,
    /// Administrator: accounts, roles and settings; reads no file content.
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Staff, Role::Manager, Role::Admin];

    /// The stable name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Staff => "staff",
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Whether this role may read the content of client files at all
    /// (need-to-know is checked per file on top of this).
    pub fn may_read_files(self) -> bool {
        matches!(self, Role::Staff | Role::Manager)
    }

    pub fn may_manage_accounts(self) -> bool {
        self == Role::Admin
    }

    /// Whether an account of this role must have a second factor before it may do
    /// anything (issue 17): managers and administrators always, staff when the unit
    /// says so (`staff_required`, on unless the administrator turned it off).
    pub fn needs_second_factor(self, staff_required: bool) -> bool {
        match self {
            Role::Manager | Role::Admin => true,
            Role::Staff => staff_required,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn managers_and_admins_always_need_a_second_factor_staff_as_the_unit_says() {
        for staff_required in [true, false] {
            assert!(Role::Manager.needs_second_factor(staff_required));
            assert!(Role::Admin.needs_second_factor(staff_required));
            assert_eq!(
                Role::Staff.needs_second_factor(staff_required),
                staff_required
            );
        }
    }

    #[test]
    fn role_names_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn admin_reads_no_file_content() {
        assert!(!Role::Admin.may_read_files());
        assert!(Role::Staff.may_read_files());
        assert!(Role::Manager.may_read_files());
    }
}
