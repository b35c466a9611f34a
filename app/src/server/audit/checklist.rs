//! A draft round's own checklist: adding, changing and removing items.

use super::*;

/// Longest checklist question.
pub const ITEM_TEXT_MAX: usize = 300;

/// A change of a draft round's checklist.
pub enum ChecklistEdit {
    Save { key: String, text: String },
    Add { text: String },
    Remove { key: String },
}

/// Changes the round's own checklist (never the default template): only while the round
/// is a draft, so no answer exists yet. Each change bumps the round's checklist version;
/// the caller's transaction. Returns the new version and what changed.
pub async fn edit_checklist(
    db: &impl ConnectionTrait,
    round: &audit_rounds::Model,
    edit: ChecklistEdit,
) -> Result<(u32, String), AppError> {
    if round.status != RoundStatus::Draft {
        return Err(AppError::RoundNotDraft);
    }
    let check_text = |field: &str, text: &str| -> Result<String, AppError> {
        let text = text.trim();
        if text.is_empty() {
            Err(AppError::field(field, Problem::Empty))
        } else if text.chars().count() > ITEM_TEXT_MAX {
            Err(AppError::field(
                field,
                Problem::TooLong { max: ITEM_TEXT_MAX },
            ))
        } else {
            Ok(text.to_owned())
        }
    };
    // Re-read inside the transaction: a round published meanwhile is not edited.
    let current = audit_rounds::Entity::find_by_id(round.id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if current.status != RoundStatus::Draft {
        return Err(AppError::RoundNotDraft);
    }
    let items = round_items(db, round.id).await?;
    let find = |key: &str| {
        items
            .iter()
            .find(|i| i.item_key == key)
            .cloned()
            .ok_or(AppError::NotFound)
    };
    let what = match edit {
        ChecklistEdit::Save { key, text } => {
            let item = find(&key)?;
            let text = check_text(&format!("item-{key}"), &text)?;
            let mut active = item.into_active_model();
            active.text_sv = Set(text.clone());
            active.text_en = Set(text);
            active.update(db).await?;
            format!("changed item {key}")
        }
        ChecklistEdit::Add { text } => {
            let text = check_text("new-item", &text)?;
            let key = format!("egen-{}", crate::server::ids::public_id());
            let position = items.iter().map(|i| i.position).max().unwrap_or(-1) + 1;
            audit_round_items::Entity::insert(audit_round_items::ActiveModel {
                round_id: Set(round.id),
                position: Set(position),
                item_key: Set(key.clone()),
                text_sv: Set(text.clone()),
                text_en: Set(text),
                ..Default::default()
            })
            .exec_without_returning(db)
            .await?;
            format!("added item {key}")
        }
        ChecklistEdit::Remove { key } => {
            let item = find(&key)?;
            if items.len() <= 1 {
                return Err(AppError::field(
                    &format!("item-{key}"),
                    Problem::ChecklistEmpty,
                ));
            }
            audit_round_items::Entity::delete_by_id(item.id)
                .exec(db)
                .await?;
            format!("removed item {key}")
        }
    };
    let version = current.checklist_version.max(1) + 1;
    let mut active = current.clone().into_active_model();
    active.checklist_version = Set(version);
    active.update(db).await?;
    Ok((version as u32, what))
}
