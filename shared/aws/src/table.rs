//! `Table` on DynamoDB, mapping the port one to one: `GetItem`,
//! `BatchGetItem`, `Query` (on the table or `gs1`), `TransactWriteItems`.
//!
//! Requests are checked with the same rules the embedded adapter enforces
//! before they are sent, so both refuse the same things the same way. A failed
//! condition comes back as `Condition { op_index, current_item }`, read from
//! `CancellationReasons` by index (`ReturnValuesOnConditionCheckFailure =
//! ALL_OLD`). `TransactionConflict` is `Conflict`; [`crate::RetryConflicts`]
//! retries it. Throttles and network faults are retried by the SDK; what
//! still fails is `Internal`, never a wrong answer.

mod expr;

use std::collections::HashMap;

use async_trait::async_trait;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::types::{
    AttributeValue, ConditionCheck, Delete, KeysAndAttributes, Put,
    ReturnValuesOnConditionCheckFailure, TransactWriteItem, Update,
};
use aws_sdk_dynamodb::Client;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use roster_core::ports::table::{
    limits, validate_item, validate_key, validate_query, validate_transaction,
};
use roster_core::ports::{Index, Item, Key, Op, Query, QueryPage, Table, TableError};

use expr::Expr;

pub const GS1: &str = "gs1";

type Av = HashMap<String, AttributeValue>;

#[derive(Clone)]
pub struct DynamoTable {
    client: Client,
    table: String,
}

impl DynamoTable {
    pub fn new(client: Client, table: impl Into<String>) -> DynamoTable {
        DynamoTable {
            client,
            table: table.into(),
        }
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    pub fn name(&self) -> &str {
        &self.table
    }
}

fn to_av(item: &Item) -> Result<Av, TableError> {
    serde_dynamo::to_item(item).map_err(|e| TableError::Invalid(format!("item: {e}")))
}

fn from_av(av: Av) -> Result<Item, TableError> {
    serde_dynamo::from_item(av).map_err(|e| TableError::Internal(format!("stored item: {e}")))
}

fn key_av(key: &Key) -> Av {
    HashMap::from([
        ("pk".to_string(), AttributeValue::S(key.pk.clone())),
        ("sk".to_string(), AttributeValue::S(key.sk.clone())),
    ])
}

/// An SDK failure that is not a domain outcome. Throttling, the service's
/// own faults and no answer at all (once the SDK's retries are spent) are
/// `Unavailable`: the client may retry later.
fn sdk_error<E: ProvideErrorMetadata + std::fmt::Debug>(
    what: &str,
    e: SdkError<E, HttpResponse>,
) -> TableError {
    let code = e.code().unwrap_or("").to_string();
    let message = e.message().unwrap_or("").to_string();
    if crate::faults::transient(&e) {
        let code = if code.is_empty() { "no answer" } else { &code };
        return TableError::Unavailable(format!("{what}: {code}"));
    }
    match code.as_str() {
        "ValidationException" => TableError::Invalid(format!("{what}: {message}")),
        "" => TableError::Internal(format!("{what}: {e:?}")),
        _ => TableError::Internal(format!("{what}: {code}: {message}")),
    }
}

fn build_err(e: impl std::fmt::Display) -> TableError {
    TableError::Invalid(format!("request: {e}"))
}

impl DynamoTable {
    fn write_item(&self, op: Op) -> Result<TransactWriteItem, TableError> {
        let mut x = Expr::default();
        let fail = ReturnValuesOnConditionCheckFailure::AllOld;
        Ok(match op {
            Op::Put { item, cond } => {
                validate_item(&item)?;
                let cond = cond.map(|c| x.cond(&c)).transpose()?;
                TransactWriteItem::builder()
                    .put(
                        Put::builder()
                            .table_name(&self.table)
                            .set_item(Some(to_av(&item)?))
                            .set_condition_expression(cond)
                            .set_expression_attribute_names(x.names())
                            .set_expression_attribute_values(x.values())
                            .return_values_on_condition_check_failure(fail)
                            .build()
                            .map_err(build_err)?,
                    )
                    .build()
            }
            Op::Update {
                key,
                set,
                add,
                remove,
                cond,
            } => {
                for (name, value) in &set {
                    if name.starts_with("gs1") && value.as_str().is_none_or(str::is_empty) {
                        return Err(TableError::Invalid(format!(
                            "{name} must be a non-empty string"
                        )));
                    }
                }
                let update = x.update(&set, &add, &remove)?;
                let cond = cond.map(|c| x.cond(&c)).transpose()?;
                TransactWriteItem::builder()
                    .update(
                        Update::builder()
                            .table_name(&self.table)
                            .set_key(Some(key_av(&key)))
                            .set_update_expression(update)
                            .set_condition_expression(cond)
                            .set_expression_attribute_names(x.names())
                            .set_expression_attribute_values(x.values())
                            .return_values_on_condition_check_failure(fail)
                            .build()
                            .map_err(build_err)?,
                    )
                    .build()
            }
            Op::Delete { key, cond } => {
                let cond = cond.map(|c| x.cond(&c)).transpose()?;
                TransactWriteItem::builder()
                    .delete(
                        Delete::builder()
                            .table_name(&self.table)
                            .set_key(Some(key_av(&key)))
                            .set_condition_expression(cond)
                            .set_expression_attribute_names(x.names())
                            .set_expression_attribute_values(x.values())
                            .return_values_on_condition_check_failure(fail)
                            .build()
                            .map_err(build_err)?,
                    )
                    .build()
            }
            Op::Check { key, cond } => {
                let cond = x.cond(&cond)?;
                TransactWriteItem::builder()
                    .condition_check(
                        ConditionCheck::builder()
                            .table_name(&self.table)
                            .set_key(Some(key_av(&key)))
                            .condition_expression(cond)
                            .set_expression_attribute_names(x.names())
                            .set_expression_attribute_values(x.values())
                            .return_values_on_condition_check_failure(fail)
                            .build()
                            .map_err(build_err)?,
                    )
                    .build()
            }
        })
    }
}

#[async_trait]
impl Table for DynamoTable {
    async fn get(&self, key: &Key, consistent: bool) -> Result<Option<Item>, TableError> {
        validate_key(key)?;
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .set_key(Some(key_av(key)))
            .consistent_read(consistent)
            .send()
            .await
            .map_err(|e| sdk_error("GetItem", e))?;
        out.item.map(from_av).transpose()
    }

    async fn batch_get(&self, keys: &[Key]) -> Result<Vec<Item>, TableError> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        if keys.len() > limits::MAX_BATCH_GET {
            return Err(TableError::Invalid(format!(
                "a batch holds at most {} keys",
                limits::MAX_BATCH_GET
            )));
        }
        let mut pending: Vec<Av> = keys.iter().map(key_av).collect();
        let mut found = Vec::new();
        // Unprocessed keys (throttling) are asked again, a bounded number of times.
        for _ in 0..5 {
            let request = KeysAndAttributes::builder()
                .set_keys(Some(std::mem::take(&mut pending)))
                .consistent_read(true)
                .build()
                .map_err(build_err)?;
            let out = self
                .client
                .batch_get_item()
                .request_items(&self.table, request)
                .send()
                .await
                .map_err(|e| sdk_error("BatchGetItem", e))?;
            for item in out
                .responses
                .unwrap_or_default()
                .remove(&self.table)
                .unwrap_or_default()
            {
                found.push(from_av(item)?);
            }
            pending = out
                .unprocessed_keys
                .and_then(|mut u| u.remove(&self.table))
                .map(|k| k.keys)
                .unwrap_or_default();
            if pending.is_empty() {
                return Ok(found);
            }
        }
        Err(TableError::Internal(
            "BatchGetItem left keys unprocessed".into(),
        ))
    }

    async fn query(&self, q: &Query) -> Result<QueryPage, TableError> {
        validate_query(q)?;
        let mut x = Expr::default();
        let key_cond = x.key_condition(q.index.key_names(), &q.pk, q.sk.as_ref())?;
        let filter = q.filter.as_ref().map(|f| x.cond(f)).transpose()?;
        let start = q.start_after.as_ref().map(to_av).transpose()?;
        let limit = q.limit.map(|n| i32::try_from(n).unwrap_or(i32::MAX));
        let out = self
            .client
            .query()
            .table_name(&self.table)
            .set_index_name((q.index == Index::Gs1).then(|| GS1.to_string()))
            .key_condition_expression(key_cond)
            .set_filter_expression(filter)
            .set_expression_attribute_names(x.names())
            .set_expression_attribute_values(x.values())
            .set_exclusive_start_key(start)
            .scan_index_forward(q.forward)
            .set_limit(limit)
            .consistent_read(q.consistent)
            .send()
            .await
            .map_err(|e| sdk_error("Query", e))?;
        Ok(QueryPage {
            scanned: usize::try_from(out.scanned_count).unwrap_or(0),
            last_key: out.last_evaluated_key.map(from_av).transpose()?,
            items: out
                .items
                .unwrap_or_default()
                .into_iter()
                .map(from_av)
                .collect::<Result<_, _>>()?,
        })
    }

    async fn transact(&self, ops: Vec<Op>, idempotency_token: &str) -> Result<(), TableError> {
        validate_transaction(&ops)?;
        let items = ops
            .into_iter()
            .map(|op| self.write_item(op))
            .collect::<Result<Vec<_>, _>>()?;
        let result = self
            .client
            .transact_write_items()
            .set_transact_items(Some(items))
            .client_request_token(idempotency_token)
            .send()
            .await;
        let Err(e) = result else {
            return Ok(());
        };
        use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
        if let Some(TransactWriteItemsError::TransactionCanceledException(cancelled)) =
            e.as_service_error()
        {
            let reasons = cancelled.cancellation_reasons();
            if let Some((op_index, reason)) = reasons
                .iter()
                .enumerate()
                .find(|(_, r)| r.code() == Some("ConditionalCheckFailed"))
            {
                let current = reason.item.clone().map(from_av).transpose()?.map(Box::new);
                return Err(TableError::Condition { op_index, current });
            }
            if reasons
                .iter()
                .any(|r| r.code() == Some("TransactionConflict"))
            {
                return Err(TableError::Conflict);
            }
            if let Some(code) = reasons
                .iter()
                .filter_map(|r| r.code())
                .find(|c| crate::faults::transient_reason(c))
            {
                return Err(TableError::Unavailable(format!(
                    "TransactWriteItems: {code}"
                )));
            }
            let codes: Vec<_> = reasons.iter().filter_map(|r| r.code()).collect();
            if codes.contains(&"ValidationError") {
                return Err(TableError::Invalid(format!(
                    "transaction refused: {codes:?}"
                )));
            }
            return Err(TableError::Internal(format!(
                "transaction cancelled: {codes:?}"
            )));
        }
        if matches!(
            e.code(),
            Some("TransactionConflictException" | "TransactionInProgressException")
        ) {
            return Err(TableError::Conflict);
        }
        Err(sdk_error("TransactWriteItems", e))
    }
}
