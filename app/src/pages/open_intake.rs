//! Open intake (öppet intag): the therapist's own anonymous registrations (/intag), one
//! registration with its memory notes (/intag/:id), and, for the manager, the anonymous
//! statistics.

use crate::api::open_intake::{
    CloseIntake, CreateIntake, SaveIntakeNotes, get_intake, intake_statistics, list_intakes,
};
use crate::app::Auth;
use crate::components::{AreaField, ErrorBox, Field, ProblemText, action_error, show_result};
use crate::error::AppError;
use crate::i18n::*;
use crate::model::{IntakeList, IntakeStats, IntakeView};
use akta_domain::Role;
use akta_domain::open_intake::{AgeBand, IntakeService, NOT_STATED, Sex};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// A service code as words.
#[component]
pub fn IntakeServiceName(service: String) -> impl IntoView {
    let i18n = use_i18n();
    match IntakeService::parse(&service) {
        Some(IntakeService::AdvisoryTalks) => t!(i18n, intake_service.advisory_talks).into_any(),
        Some(IntakeService::MiGroup) => t!(i18n, intake_service.mi_group).into_any(),
        Some(IntakeService::PrimaryGroup) => t!(i18n, intake_service.primary_group).into_any(),
        None => service.into_any(),
    }
}

#[component]
fn SexName(sex: String) -> impl IntoView {
    let i18n = use_i18n();
    match Sex::parse(&sex) {
        Some(Sex::Female) => t!(i18n, open_intake.sex_female).into_any(),
        Some(Sex::Male) => t!(i18n, open_intake.sex_male).into_any(),
        Some(Sex::Other) => t!(i18n, open_intake.sex_other).into_any(),
        None => t!(i18n, open_intake.not_stated).into_any(),
    }
}

#[component]
fn AgeBandName(band: String) -> impl IntoView {
    let i18n = use_i18n();
    if band == NOT_STATED || AgeBand::parse(&band).is_none() {
        return t!(i18n, open_intake.not_stated).into_any();
    }
    let band = band.replace('-', "–");
    t!(i18n, open_intake.years, band = move || band.clone()).into_any()
}

/// A labelled select with the field's problem beside it.
#[component]
fn Choice(
    name: &'static str,
    #[prop(into)] label: ViewFn,
    error: Signal<Option<AppError>>,
    required: bool,
    children: Children,
) -> impl IntoView {
    let problem = move || error.get().and_then(|e| e.problem_for(name));
    let error_id = format!("{name}-error");
    let described = {
        let error_id = error_id.clone();
        move || problem().map(|_| error_id.clone())
    };
    view! {
        <div class="field" class:has-error=move || problem().is_some()>
            <label for=name>{label.run()}</label>
            {move || problem().map(|p| view! {
                <p class="field-error" id=error_id.clone()><ProblemText problem=p /></p>
            })}
            <select id=name name=name required=required aria-describedby=described>
                {children()}
            </select>
        </div>
    }
}

#[component]
pub fn IntakesPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = expect_context::<Auth>();
    let query = use_query_map();
    let closed = move || query.read().get("avslutad").is_some();
    let list = Resource::new(|| (), |_| list_intakes());
    let is_manager = move || {
        auth.user
            .get()
            .and_then(Result::ok)
            .flatten()
            .is_some_and(|u| u.role == Role::Manager)
    };
    view! {
        <Title text=move || t_string!(i18n, open_intake.title).to_string() />
        <h1>{t!(i18n, open_intake.title)}</h1>
        <p class="lead">{t!(i18n, open_intake.intro)}</p>
        {move || closed().then(|| view! {
            <p class="notice" role="status">{t!(i18n, open_intake.closed_notice)}</p>
        })}
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || show_result(list.get(), |list| view! { <MyIntakes list /> })}
        </Transition>
        // The role comes from a resource: read it under Suspense so hydration matches.
        <Suspense fallback=|| ()>
            {move || is_manager().then(|| view! { <Statistics /> })}
        </Suspense>
    }
}

#[component]
fn MyIntakes(list: IntakeList) -> impl IntoView {
    let i18n = use_i18n();
    let create = ServerAction::<CreateIntake>::new();
    let error = action_error(create);
    let today = list.today.to_string();
    let rows = if list.rows.is_empty() {
        view! { <p>{t!(i18n, open_intake.none)}</p> }.into_any()
    } else {
        view! {
            <div class="table-wrap">
                <table>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, open_intake.pseudonym)}</th>
                            <th scope="col">{t!(i18n, open_intake.service)}</th>
                            <th scope="col">{t!(i18n, open_intake.started_on)}</th>
                            <th scope="col">{t!(i18n, open_intake.col_status)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {list.rows.into_iter().map(|r| {
                            let ends = r.ends_by.map(|d| d.to_string()).unwrap_or_default();
                            view! {
                                <tr class:overdue=r.overstayed>
                                    <td><a href=format!("/intag/{}", r.id)>{r.pseudonym}</a></td>
                                    <td><IntakeServiceName service=r.service /></td>
                                    <td class="nowrap">{r.started_on.to_string()}</td>
                                    <td>
                                        {match (r.overstayed, r.ends_by.is_some()) {
                                            (true, _) => view! { <span class="badge late">{t!(i18n, open_intake.overstayed, date = move || ends.clone())}</span> }.into_any(),
                                            (false, true) => t!(i18n, open_intake.ends_by, date = move || ends.clone()).into_any(),
                                            (false, false) => t!(i18n, open_intake.no_length).into_any(),
                                        }}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <p class="help">{t!(i18n, open_intake.overstay_rule)}</p>
        }
        .into_any()
    };
    view! {
        <section aria-labelledby="mine-heading">
            <h2 id="mine-heading">{t!(i18n, open_intake.mine_title)}</h2>
            {rows}
        </section>
        <section aria-labelledby="new-heading" class="card">
            <h2 id="new-heading">{t!(i18n, open_intake.new_title)}</h2>
            <p>{t!(i18n, open_intake.new_intro)}</p>
            <ErrorBox error />
            <ActionForm action=create>
                <Field name="pseudonym" label=move || t!(i18n, open_intake.pseudonym)
                    help=ViewFn::from(move || t!(i18n, open_intake.pseudonym_help)) required=true error autocomplete="off" />
                <Choice name="service" label=move || t!(i18n, open_intake.service) error required=true>
                    <option value="">{t!(i18n, open_intake.choose)}</option>
                    {IntakeService::ALL.into_iter().map(|s| view! {
                        <option value=s.as_str()><IntakeServiceName service=s.as_str().to_owned() /></option>
                    }).collect_view()}
                </Choice>
                <Field name="started_on" kind="date" label=move || t!(i18n, open_intake.started_on)
                    required=true error value=Some(today.clone()) />
                <div class="two">
                    <Choice name="sex" label=move || t!(i18n, open_intake.sex) error required=false>
                        <option value="">{t!(i18n, open_intake.not_stated)}</option>
                        {Sex::ALL.into_iter().map(|s| view! {
                            <option value=s.as_str()><SexName sex=s.as_str().to_owned() /></option>
                        }).collect_view()}
                    </Choice>
                    <Choice name="age_band" label=move || t!(i18n, open_intake.age_band) error required=false>
                        <option value="">{t!(i18n, open_intake.not_stated)}</option>
                        {AgeBand::ALL.into_iter().map(|a| view! {
                            <option value=a.as_str()><AgeBandName band=a.as_str().to_owned() /></option>
                        }).collect_view()}
                    </Choice>
                </div>
                <AreaField name="notes" label=move || t!(i18n, open_intake.notes)
                    help=ViewFn::from(move || t!(i18n, open_intake.notes_help)) error rows=5 />
                <button type="submit" class="primary" disabled=move || create.pending().get()>
                    {t!(i18n, open_intake.create)}
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
fn Statistics() -> impl IntoView {
    let i18n = use_i18n();
    let stats = Resource::new(|| (), |_| intake_statistics());
    view! {
        <section aria-labelledby="stats-heading">
            <h2 id="stats-heading">{t!(i18n, open_intake.stats_title)}</h2>
            <p>{t!(i18n, open_intake.stats_intro)}</p>
            <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || show_result(stats.get(), |s| view! { <StatsTables s /> })}
            </Transition>
        </section>
    }
}

#[component]
fn StatsTables(s: IntakeStats) -> impl IntoView {
    let i18n = use_i18n();
    let open = if s.open.is_empty() {
        view! { <p>{t!(i18n, open_intake.stats_none_open)}</p> }.into_any()
    } else {
        view! {
            <ul>
                {s.open.into_iter().map(|(service, n)| view! {
                    <li><IntakeServiceName service />": "{n}</li>
                }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let closed = if s.closed.is_empty() {
        view! { <p>{t!(i18n, open_intake.stats_none_closed)}</p> }.into_any()
    } else {
        view! {
            <div class="table-wrap">
                <table>
                    <caption>{t!(i18n, open_intake.stats_closed_caption)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, open_intake.stats_month)}</th>
                            <th scope="col">{t!(i18n, open_intake.service)}</th>
                            <th scope="col">{t!(i18n, open_intake.sex)}</th>
                            <th scope="col">{t!(i18n, open_intake.age_band)}</th>
                            <th scope="col">{t!(i18n, open_intake.stats_count)}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {s.closed.into_iter().map(|r| view! {
                            <tr>
                                <td class="nowrap">{r.month}</td>
                                <td><IntakeServiceName service=r.service /></td>
                                <td><SexName sex=r.sex /></td>
                                <td><AgeBandName band=r.age_band /></td>
                                <td>{r.closed}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <h3>{t!(i18n, open_intake.stats_open_title)}</h3>
        {open}
        <h3>{t!(i18n, open_intake.stats_closed_title)}</h3>
        {closed}
    }
}

#[component]
pub fn IntakePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let intake = Resource::new(id, get_intake);
    view! {
        <Title text=move || t_string!(i18n, open_intake.detail_title).to_string() />
        <p><a href="/intag">{t!(i18n, open_intake.back)}</a></p>
        <Transition fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || show_result(intake.get(), |v| view! { <IntakeDetail v /> })}
        </Transition>
    }
}

#[component]
fn IntakeDetail(v: IntakeView) -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveIntakeNotes>::new();
    let close = ServerAction::<CloseIntake>::new();
    let save_error = action_error(save);
    let close_error = action_error(close);
    let saved = move || matches!(save.value().get(), Some(Ok(())));
    let id = v.id.clone();
    let id2 = v.id.clone();
    view! {
        <h1>{v.pseudonym}</h1>
        <dl class="facts">
            <dt>{t!(i18n, open_intake.service)}</dt>
            <dd><IntakeServiceName service=v.service /></dd>
            <dt>{t!(i18n, open_intake.started_on)}</dt>
            <dd>{v.started_on.to_string()}</dd>
            <dt>{t!(i18n, open_intake.sex)}</dt>
            <dd><SexName sex=v.sex.unwrap_or_default() /></dd>
            <dt>{t!(i18n, open_intake.age_band)}</dt>
            <dd><AgeBandName band=v.age_band.unwrap_or_default() /></dd>
        </dl>
        <section aria-labelledby="notes-heading" class="card">
            <h2 id="notes-heading">{t!(i18n, open_intake.notes)}</h2>
            <ErrorBox error=save_error />
            {move || saved().then(|| view! {
                <p class="notice" role="status">{t!(i18n, open_intake.notes_saved)}</p>
            })}
            <ActionForm action=save>
                <input type="hidden" name="intake" value=id />
                <AreaField name="notes" label=move || t!(i18n, open_intake.notes)
                    help=ViewFn::from(move || t!(i18n, open_intake.notes_help)) error=save_error value=v.notes rows=10 />
                <button type="submit" class="primary" disabled=move || save.pending().get()>
                    {t!(i18n, open_intake.save_notes)}
                </button>
            </ActionForm>
        </section>
        <section aria-labelledby="close-heading" class="card">
            <h2 id="close-heading">{t!(i18n, open_intake.close_title)}</h2>
            <p>{t!(i18n, open_intake.close_intro)}</p>
            <ErrorBox error=close_error />
            <ActionForm action=close>
                <input type="hidden" name="intake" value=id2 />
                <div class="field checkbox">
                    <input type="checkbox" id="confirm-close" required />
                    <label for="confirm-close">{t!(i18n, open_intake.close_confirm)}</label>
                </div>
                <button type="submit" class="danger" disabled=move || close.pending().get()>
                    {t!(i18n, open_intake.close)}
                </button>
            </ActionForm>
        </section>
    }
}
