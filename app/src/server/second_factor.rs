//! The second factor (issue 17): TOTP codes (RFC 6238, through `totp-rs`) from an
//! authenticator app, enrolled by a QR code drawn here as SVG, and one-time recovery
//! codes for a lost phone.
//!
//! A code is accepted once: the step it belongs to must be later than the last step
//! accepted for the account, and the check is one conditional UPDATE, so two logins
//! racing with the same code cannot both win. Recovery codes are kept as SHA-256 (they
//! are random, 50 bits each) and used by one conditional UPDATE too.

use super::entities::{recovery_codes, users};
use crate::error::{AppError, Problem};
use crate::model::SecondFactorOffer;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter,
};
use sha2::{Digest, Sha256};

/// The name the authenticator app shows above the code.
pub const ISSUER: &str = "Akta";
/// How many recovery codes an enrolment gives.
pub const RECOVERY_CODES: usize = 10;
/// Letters and digits that cannot be mistaken for each other on paper.
const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

fn totp(secret_base32: &str, username: &str) -> Result<totp_rs::Totp, AppError> {
    let secret = totp_rs::Secret::try_from_base32(secret_base32).map_err(super::internal)?;
    totp_rs::Builder::new()
        .with_secret(secret)
        .with_issuer(Some(ISSUER))
        .with_account_name(username.replace(':', "_"))
        .build()
        .map_err(super::internal)
}

/// A new secret of 160 random bits (RFC 4226's recommendation), as base32.
pub fn new_secret() -> String {
    use rand::RngCore;
    let mut bytes = vec![0u8; 20];
    rand::rng().fill_bytes(&mut bytes);
    totp_rs::Secret::from(bytes).to_base32()
}

/// What the enrolment page shows for a new secret: the QR code of its `otpauth://` URI
/// (SVG, drawn here: no outside service sees the secret) and the secret itself, in
/// groups of four, for an app that cannot scan.
pub fn offer(secret: &str, username: &str) -> Result<SecondFactorOffer, AppError> {
    let uri = totp(secret, username)?.to_url().map_err(super::internal)?;
    let qr = qrcode::QrCode::new(uri.as_bytes()).map_err(super::internal)?;
    let svg = qr
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(220, 220)
        .quiet_zone(true)
        .build();
    let grouped = secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    Ok(SecondFactorOffer {
        secret: grouped,
        qr_svg: svg,
    })
}

/// The 30-second step whose code `code` is (this, the one before or the one after),
/// if any. Spaces are allowed ("123 456").
fn matching_step(secret: &str, username: &str, code: &str) -> Result<Option<i64>, AppError> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return Ok(None);
    }
    let now = u64::try_from(super::now().timestamp()).unwrap_or(0);
    Ok(totp(secret, username)?
        .check(&code, now)
        .and_then(|step| i64::try_from(step).ok()))
}

/// Whether `code` is the account's current TOTP code, not used before; accepting it
/// marks its step used.
pub async fn accept_code(
    db: &impl ConnectionTrait,
    user: &users::Model,
    code: &str,
) -> Result<bool, AppError> {
    let Some(secret) = user.totp_secret.as_deref() else {
        return Ok(false);
    };
    let Some(step) = matching_step(secret, &user.username, code)? else {
        return Ok(false);
    };
    let updated = users::Entity::update_many()
        .col_expr(users::Column::TotpLastStep, Expr::value(step))
        .filter(users::Column::Id.eq(user.id))
        .filter(
            Condition::any()
                .add(users::Column::TotpLastStep.is_null())
                .add(users::Column::TotpLastStep.lt(step)),
        )
        .exec(db)
        .await?;
    Ok(updated.rows_affected == 1)
}

/// A recovery code as compared: letters and digits only, lower case.
fn normalise(code: &str) -> String {
    code.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn hash(code: &str) -> String {
    Sha256::digest(normalise(code).as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Ten new recovery codes, `xxxxx-xxxxx`.
fn new_recovery_codes() -> Vec<String> {
    use rand::Rng;
    let mut rng = rand::rng();
    (0..RECOVERY_CODES)
        .map(|_| {
            let chars: String = (0..10)
                .map(|_| RECOVERY_ALPHABET[rng.random_range(0..RECOVERY_ALPHABET.len())] as char)
                .collect();
            format!("{}-{}", &chars[..5], &chars[5..])
        })
        .collect()
}

/// Uses one unused recovery code of the account; whether it was one. The number of
/// codes left is the caller's to tell the user.
pub async fn use_recovery_code(
    db: &impl ConnectionTrait,
    user_id: i32,
    code: &str,
) -> Result<bool, AppError> {
    if normalise(code).len() != 10 {
        return Ok(false);
    }
    let used = recovery_codes::Entity::update_many()
        .col_expr(recovery_codes::Column::UsedAt, Expr::value(super::now()))
        .filter(recovery_codes::Column::UserId.eq(user_id))
        .filter(recovery_codes::Column::CodeHash.eq(hash(code)))
        .filter(recovery_codes::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(used.rows_affected == 1)
}

/// How many unused recovery codes the account has.
pub async fn recovery_codes_left(db: &impl ConnectionTrait, user_id: i32) -> Result<u32, AppError> {
    let left = recovery_codes::Entity::find()
        .filter(recovery_codes::Column::UserId.eq(user_id))
        .filter(recovery_codes::Column::UsedAt.is_null())
        .count(db)
        .await?;
    Ok(u32::try_from(left).unwrap_or(u32::MAX))
}

/// Confirms an enrolment: `code` must be the current code of `secret` (field `code`
/// otherwise). The secret, its step and new recovery codes (the old ones go) are
/// stored inside the caller's transaction; returns the enrolment's time and the codes,
/// shown once.
pub async fn confirm(
    db: &impl ConnectionTrait,
    user: &users::Model,
    secret: &str,
    code: &str,
) -> Result<(chrono::DateTime<chrono::Utc>, Vec<String>), AppError> {
    let Some(step) = matching_step(secret, &user.username, code)? else {
        return Err(AppError::field("code", Problem::CodeWrong));
    };
    let now = super::now();
    users::Entity::update_many()
        .col_expr(users::Column::TotpSecret, Expr::value(secret.to_owned()))
        .col_expr(users::Column::TotpEnrolledAt, Expr::value(now))
        .col_expr(users::Column::TotpLastStep, Expr::value(step))
        .filter(users::Column::Id.eq(user.id))
        .exec(db)
        .await?;
    let codes = new_recovery_codes();
    replace_recovery_codes(db, user.id, &codes).await?;
    Ok((now, codes))
}

async fn replace_recovery_codes(
    db: &impl ConnectionTrait,
    user_id: i32,
    codes: &[String],
) -> Result<(), AppError> {
    recovery_codes::Entity::delete_many()
        .filter(recovery_codes::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    if codes.is_empty() {
        return Ok(());
    }
    recovery_codes::Entity::insert_many(codes.iter().map(|code| recovery_codes::ActiveModel {
        user_id: Set(user_id),
        code_hash: Set(hash(code)),
        used_at: Set(None),
        ..Default::default()
    }))
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// An administrator's reset (a lost phone and no codes left): the secret and the
/// recovery codes go, inside the caller's transaction. The owner enrols again at the
/// next request (a session's proof named the old enrolment).
pub async fn reset(db: &impl ConnectionTrait, user_id: i32) -> Result<(), AppError> {
    users::Entity::update_many()
        .col_expr(users::Column::TotpSecret, Expr::value(None::<String>))
        .col_expr(
            users::Column::TotpEnrolledAt,
            Expr::value(None::<chrono::DateTime<chrono::Utc>>),
        )
        .col_expr(users::Column::TotpLastStep, Expr::value(None::<i64>))
        .filter(users::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    replace_recovery_codes(db, user_id, &[]).await
}

/// Whether this account must enrol before it may do anything: its role needs a second
/// factor (for staff, as the unit's setting says) and it has none.
pub async fn must_enrol(
    db: &DatabaseConnection,
    user: &users::Model,
    role: akta_domain::Role,
) -> Result<bool, AppError> {
    if user.totp_enrolled_at.is_some() {
        return Ok(false);
    }
    let staff_required = match role {
        akta_domain::Role::Staff => super::settings::staff_second_factor(db).await?,
        _ => true,
    };
    Ok(role.needs_second_factor(staff_required))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovery_codes_are_ten_unlike_codes_that_survive_spaces_and_case() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), RECOVERY_CODES);
        for code in &codes {
            assert_eq!(code.len(), 11);
            assert_eq!(hash(code), hash(&code.to_uppercase().replace('-', " ")));
        }
        assert_ne!(hash(&codes[0]), hash(&codes[1]));
    }

    #[test]
    fn a_code_matches_its_secret_and_nothing_else() {
        let secret = new_secret();
        let now = u64::try_from(super::super::now().timestamp()).unwrap_or(0);
        let code = totp(&secret, "anna")
            .map(|t| t.generate(now))
            .map(|t| t.to_string())
            .unwrap_or_default();
        assert!(matches!(matching_step(&secret, "anna", &code), Ok(Some(_))));
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert!(matches!(
            matching_step(&secret, "anna", &spaced),
            Ok(Some(_))
        ));
        assert!(matches!(
            matching_step(&new_secret(), "anna", &code),
            Ok(None)
        ));
        assert!(matches!(matching_step(&secret, "anna", "12345"), Ok(None)));
        assert!(matches!(matching_step(&secret, "anna", "abcdef"), Ok(None)));
    }

    #[test]
    fn the_offer_draws_a_qr_code_and_groups_the_secret() {
        let secret = new_secret();
        let offer = offer(&secret, "anna").expect("offer");
        assert!(offer.qr_svg.contains("<svg"));
        assert_eq!(offer.secret.replace(' ', ""), secret);
    }
}
