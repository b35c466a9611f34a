//! The contact person's side: the submitted audit results of their own files.

use super::*;

/// Submitted reviews of files where the user is contact person: one row per file and
/// year. Names clients, so the caller logs the list when it is not empty.
pub async fn my_file_audits(
    db: &impl ConnectionTrait,
    user: &CurrentUser,
) -> Result<Vec<FileAuditRow>, AppError> {
    let files: HashMap<i32, case_files::Model> = case_files::Entity::find()
        .filter(case_files::Column::ContactPersonId.eq(user.id))
        .all(db)
        .await?
        .into_iter()
        .map(|f| (f.id, f))
        .collect();
    let reviews = audit_assignments::Entity::find()
        .filter(audit_assignments::Column::CaseFileId.is_in(files.keys().copied()))
        .filter(audit_assignments::Column::SubmittedAt.is_not_null())
        .all(db)
        .await?;
    let rounds: HashMap<i32, audit_rounds::Model> = audit_rounds::Entity::find()
        .filter(audit_rounds::Column::Id.is_in(reviews.iter().map(|a| a.round_id)))
        .filter(audit_rounds::Column::Status.ne(RoundStatus::Draft))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let clients: HashMap<i32, clients::Model> = clients::Entity::find()
        .filter(clients::Column::Id.is_in(files.values().map(|f| f.client_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    // Open findings per review: a "no" or "partly" without an action done (or, without
    // an action, without a reply).
    let ids: Vec<i32> = reviews.iter().map(|a| a.id).collect();
    let (answers, _) = answers_and_judgements(db, ids.iter().copied()).await?;
    let actions = actions_of(db, ids.iter().copied()).await?;
    let today = crate::server::today();
    let mut open: HashMap<i32, u32> = HashMap::new();
    for x in answers.iter().filter(|x| is_finding(x.answer.as_deref())) {
        let action = actions.get(&(x.assignment_id, x.plan_version_id, x.item_key.clone()));
        if FindingStatus::of(action, today).is_open() {
            *open.entry(x.assignment_id).or_default() += 1;
        }
    }
    let mut rows: BTreeMap<(i32, String), FileAuditRow> = BTreeMap::new();
    for a in &reviews {
        let (Some(round), Some(file), Some(at)) = (
            rounds.get(&a.round_id),
            files.get(&a.case_file_id),
            a.submitted_at,
        ) else {
            continue;
        };
        let on = crate::server::swedish(at).date();
        let open_here = open.get(&a.id).copied().unwrap_or_default();
        rows.entry((-round.year, file.public_id.clone()))
            .and_modify(|r| {
                r.submitted_on = r.submitted_on.min(on);
                r.open_findings += open_here;
            })
            .or_insert_with(|| FileAuditRow {
                file_id: file.public_id.clone(),
                client_name: clients.get(&file.client_id).and_then(client_name),
                year: round.year,
                submitted_on: on,
                open_findings: open_here,
            });
    }
    Ok(rows.into_values().collect())
}

/// A file as its contact person opens it (the audit results of one's own files):
/// anyone else gets "not found", logged as a refusal naming the file.
pub struct ContactFile {
    pub file: case_files::Model,
}

impl Target for ContactFile {
    const PERMISSION: Permission = Permission::ReadFiles;
    const KIND: &'static str = "file";

    async fn open<C: ConnectionTrait>(
        db: &C,
        user: &CurrentUser,
        public_id: &str,
    ) -> Result<Result<Self, Refusal>, AppError> {
        let file = case_files::Entity::find()
            .filter(case_files::Column::PublicId.eq(public_id))
            .one(db)
            .await?;
        Ok(match file {
            Some(file) if file.contact_person_id == user.id => Ok(ContactFile { file }),
            other => Err(Refusal {
                error: AppError::NotFound,
                why: "not the contact person",
                named: other.map_or_else(Named::default, |f| Named::file(f.client_id, f.id)),
            }),
        })
    }

    async fn find<C: ConnectionTrait>(db: &C, public_id: &str) -> Result<Named, AppError> {
        crate::server::journal::file_named(db, public_id).await
    }

    fn named(&self) -> Named {
        Named::file(self.file.client_id, self.file.id)
    }
}

/// The submitted audit results of the contact person's file: every submitted review
/// in a published or closed round, the reviewer's name only when the unit's setting
/// says so.
pub async fn file_audit_results(
    db: &impl ConnectionTrait,
    file: &case_files::Model,
) -> Result<FileAuditResults, AppError> {
    let open_rounds: Vec<i32> = audit_rounds::Entity::find()
        .filter(audit_rounds::Column::Status.ne(RoundStatus::Draft))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    let reviews = audit_assignments::Entity::find()
        .filter(audit_assignments::Column::CaseFileId.eq(file.id))
        .filter(audit_assignments::Column::RoundId.is_in(open_rounds))
        .filter(audit_assignments::Column::SubmittedAt.is_not_null())
        .order_by_asc(audit_assignments::Column::Id)
        .all(db)
        .await?;
    let with_names = show_reviewer_names(db).await?;
    let client = clients::Entity::find_by_id(file.client_id).one(db).await?;
    let results = FileAuditResults {
        file_id: file.public_id.clone(),
        client_name: client.as_ref().and_then(client_name),
        reviews: review_results(db, file, &reviews, with_names).await?,
        today: crate::server::today(),
    };
    Ok(results)
}
