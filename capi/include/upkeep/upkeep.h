/* upkeep/upkeep.h: the stable C API of upkeep, the customer maintenance fee engine.
 *
 * One C99 header over libupkeep.so (SONAME libupkeep.so.1). Everything is prefixed upk_.
 * Conventions (docs/c-api.md has the full text):
 *   - Objects are opaque handles: upk_x_new(&out, ...) creates, upk_x_free(x) destroys;
 *     freeing NULL does nothing.
 *   - Every call that can fail returns upk_status (UPK_OK = 0). Out-parameters always come
 *     first and are named out / out_*; on failure they are left unchanged.
 *     upk_last_error_message() then says what was wrong (thread-local, never NULL).
 *   - Text going in is UTF-8 with a length (upk_str); it must not contain NUL bytes. Text coming
 *     out is either borrowed (an upk_str valid while its owner lives) or a library-owned char*
 *     (NUL-terminated) that the caller frees with upk_string_free.
 *   - Money is int64 minor units plus an ISO 4217 code (upk_money); never a float.
 *   - Structs start with a size field (set by the _INIT macros); they only grow at the end.
 *   - Callback tables (custom policies, alert subscribers) are copied; their destroy runs
 *     exactly once.
 *
 *   upk_policy *policy = NULL;
 *   if (upk_policy_compile(&policy, upk_str_c(json_text), NULL) != UPK_OK)
 *     fprintf(stderr, "%s\n", upk_last_error_message());
 *
 * Thread safety (docs/threading.md): policies, portfolios and plans are immutable and may be
 * shared between threads; a ledger may be called from many threads at once (attaching
 * monitoring excepted); a builder, a registry being filled, a decision object, an alert list and
 * a feedback proposal belong to one thread at a time. Alert subscribers run on the thread that
 * changed the ledger.
 */
#ifndef UPKEEP_UPKEEP_H_
#define UPKEEP_UPKEEP_H_

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define UPK_API __attribute__((visibility("default")))
#else
#define UPK_API
#endif

/* ---- Version ------------------------------------------------------------------------------ */

#define UPK_VERSION_MAJOR 1
#define UPK_VERSION_MINOR 0
#define UPK_VERSION_PATCH 0
#define UPK_VERSION_STRING "1.0.0"
/* major * 10000 + minor * 100 + patch */
#define UPK_VERSION_NUMBER (UPK_VERSION_MAJOR * 10000 + UPK_VERSION_MINOR * 100 + UPK_VERSION_PATCH)

/* The version of the library loaded at run time ("1.0.0" and 10000 for 1.0.0). */
UPK_API const char* upk_version(void);
UPK_API int32_t upk_version_number(void);

/* ---- Status codes and errors -------------------------------------------------------------- */

/* Stable numbers, identical to upkeep::ErrorCode; append only. */
typedef int32_t upk_status;
enum {
  UPK_OK = 0,
  UPK_INVALID_ARGUMENT = 1,
  UPK_OVERFLOW = 2,
  UPK_CURRENCY_MISMATCH = 3,
  UPK_UNKNOWN_CURRENCY = 4,
  UPK_PARSE = 5,
  UPK_PRECISION = 6,
  UPK_NOT_FOUND = 7,
  UPK_INFEASIBLE = 8,
  UPK_POLICY_INVALID = 9,
  UPK_INVALID_UTF8 = 10,
  UPK_ALREADY_EXISTS = 11,
  UPK_IDEMPOTENCY_CONFLICT = 12,
  UPK_INSUFFICIENT_FUNDS = 13,
  UPK_PERMISSION_DENIED = 14,
  UPK_PERIOD_CLOSED = 15,
  UPK_INVALID_STATE = 16,
  UPK_INTERNAL = 17,
  UPK_NULL_ARGUMENT = 18,
  UPK_UNSUPPORTED_VERSION = 19,
  UPK_IO = 20,
  UPK_CORRUPT = 21,
  UPK_BUSY = 22,
  UPK_CALLBACK_FAILED = 23
};

/* "ok", "invalid_argument", ...; "unknown" for other numbers. Never NULL, static storage. */
UPK_API const char* upk_status_name(upk_status status);
/* The message of the most recent failed call on this thread ("" if none). Never NULL; valid
 * until the next upk_ call on this thread. */
UPK_API const char* upk_last_error_message(void);
/* For callbacks: records `message` as this thread's error and returns UPK_CALLBACK_FAILED. */
UPK_API upk_status upk_callback_fail(const char* message);

/* ---- Text and money ----------------------------------------------------------------------- */

/* UTF-8 text with its length in bytes; data may be NULL only when size is 0. */
typedef struct upk_str {
  const char* data;
  size_t size;
} upk_str;
#define UPK_STR_NULL \
  { NULL, 0 }
/* An upk_str initializer for a string literal: upk_str s = UPK_STR_LIT("gift"); */
#define UPK_STR_LIT(literal) \
  { (literal), sizeof(literal) - 1 }

/* An upk_str for a NUL-terminated string (NULL gives the empty string). */
static inline upk_str upk_str_c(const char* text) {
  upk_str s;
  s.data = text;
  s.size = text == NULL ? 0 : strlen(text);
  return s;
}

/* Frees a string the library returned through a char** out-parameter. NULL is a no-op. */
UPK_API void upk_string_free(char* text);

/* An amount of money: minor units of the currency with ISO code `currency` ("CNY", NUL-padded). */
typedef struct upk_money {
  int64_t amount_minor;
  char currency[4];
} upk_money;
#define UPK_MONEY_INIT \
  {                    \
    0, { 0, 0, 0, 0 }  \
  }

/* The minor-unit exponent of an ISO 4217 currency (CNY 2, JPY 0, KWD 3). */
UPK_API upk_status upk_currency_exponent(int32_t* out, upk_str currency);
/* "1234.56" from 123456 CNY; parse is the inverse (kPrecision for too many decimals). */
UPK_API upk_status upk_money_format(char** out, upk_money money);
UPK_API upk_status upk_money_parse(upk_money* out, upk_str decimal, upk_str currency);

/* ---- Custom policies: registered from C --------------------------------------------------- */

typedef struct upk_registry upk_registry;
typedef struct upk_portfolio upk_portfolio;

/* A custom classifier. classify gets the policy section's parameters as JSON and must set, for
 * every customer i < count (in portfolio order, by id), tier_out[i] (0 = the highest tier,
 * < tier_count) and score_out[i] (what it compared). It may read `portfolio` through the
 * upk_portfolio_* functions. Return UPK_OK, or an error (see upk_callback_fail). */
typedef struct upk_classifier_callbacks {
  size_t size;
  void* user_data;
  upk_status (*classify)(void* user_data, upk_str params_json, const upk_portfolio* portfolio,
                         size_t tier_count, uint32_t* tier_out, double* score_out, size_t count);
  void (*destroy)(void* user_data); /* may be NULL; runs exactly once */
} upk_classifier_callbacks;
#define UPK_CLASSIFIER_CALLBACKS_INIT \
  { sizeof(upk_classifier_callbacks), NULL, NULL, NULL }

/* What a custom allocation policy is given. */
typedef struct upk_allocation_input {
  size_t size;
  const upk_portfolio* portfolio;
  const uint32_t* tier; /* per customer, portfolio order */
  size_t count;         /* customers */
  size_t tier_count;
  upk_money pool;
} upk_allocation_input;

/* A custom allocation policy: sets amount_out[i] >= 0 and weight_out[i] (the number that
 * explains it) for every customer, and *unallocated_out; they must add up to the pool exactly
 * (else UPK_CALLBACK_FAILED). */
typedef struct upk_allocation_callbacks {
  size_t size;
  void* user_data;
  upk_status (*allocate)(void* user_data, upk_str params_json, const upk_allocation_input* input,
                         int64_t* amount_out, uint64_t* weight_out, int64_t* unallocated_out);
  void (*destroy)(void* user_data);
} upk_allocation_callbacks;
#define UPK_ALLOCATION_CALLBACKS_INIT \
  { sizeof(upk_allocation_callbacks), NULL, NULL, NULL }

/* ---- Ledger vocabulary (used by control callbacks too) ----------------------------------- */

enum {
  UPK_SCOPE_COMPANY = 0,
  UPK_SCOPE_TIER = 1,
  UPK_SCOPE_CUSTOMER = 2,
  UPK_SCOPE_OWNER = 3,
  UPK_SCOPE_REGION = 4
};
enum {
  UPK_ROLE_ACCOUNT_MANAGER = 0,
  UPK_ROLE_MANAGER = 1,
  UPK_ROLE_FINANCE = 2,
  UPK_ROLE_ADMIN = 3
};
/* Ordered by severity. */
enum {
  UPK_OUTCOME_APPROVE = 0,
  UPK_OUTCOME_APPROVE_WITH_WARNING = 1,
  UPK_OUTCOME_NEEDS_APPROVAL = 2,
  UPK_OUTCOME_REJECT = 3
};
/* "approve", "approve with warning", "needs approval", "reject" (the engine's words, as in
 * the JSON explanations); "unknown" otherwise. */
UPK_API const char* upk_outcome_name(int32_t outcome);

/* The money at one scope, in the ledger currency's minor units. */
typedef struct upk_balance {
  size_t size;
  int64_t budget_minor;
  int64_t reserved_minor;
  int64_t spent_minor;
  int64_t available_minor;
  int32_t budget_version;
} upk_balance;
#define UPK_BALANCE_INIT \
  { sizeof(upk_balance), 0, 0, 0, 0, 0 }

/* Names a scope: period, level (UPK_SCOPE_*), key (tier, customer, owner or region; empty for
 * the company) and fee category. */
typedef struct upk_scope {
  size_t size;
  upk_str period;
  int32_t kind;
  upk_str key;
  upk_str category;
} upk_scope;
#define UPK_SCOPE_INIT \
  { sizeof(upk_scope), UPK_STR_NULL, 0, UPK_STR_NULL, UPK_STR_NULL }

/* What a custom control policy sees; the strings are valid during the call. */
typedef struct upk_control_context {
  size_t size;
  upk_str rule_id;
  upk_str actor;
  upk_str period;
  upk_str customer;
  upk_str tier;
  upk_str owner;
  upk_str region;
  upk_str category;
  int64_t amount_minor;
  int64_t time_micros;
  int32_t uses_in_period;
  const upk_balance* path; /* envelope, tier, company (then owner, region) */
  size_t path_count;
} upk_control_context;

/* Where a control callback puts its verdict: zero or more reasons (upk_control_verdict_add). */
typedef struct upk_control_verdict upk_control_verdict;
UPK_API upk_status upk_control_verdict_add(upk_control_verdict* verdict, int32_t outcome,
                                           int64_t shortfall_minor, upk_str message,
                                           upk_str remedy);

/* A custom control policy, configured in the control document as
 * {"custom": [{"id": "...", "policy": "<name>", "params": {...}}]}. evaluate runs while the
 * ledger holds its lock: it must not call the ledger. An error return (or a C++/host failure)
 * rejects the request with the error's message: custom controls fail closed. */
typedef struct upk_control_callbacks {
  size_t size;
  void* user_data;
  upk_status (*evaluate)(void* user_data, upk_str params_json, const upk_control_context* context,
                         upk_control_verdict* verdict);
  void (*destroy)(void* user_data);
} upk_control_callbacks;
#define UPK_CONTROL_CALLBACKS_INIT \
  { sizeof(upk_control_callbacks), NULL, NULL, NULL }

/* A registry of custom policies by name, to compile policies and control documents with.
 * Registering hands user_data to the library: destroy runs exactly once, when the registry and
 * everything compiled with it are freed, or at once if the registration fails. */
UPK_API upk_status upk_registry_new(upk_registry** out);
UPK_API void upk_registry_free(upk_registry* registry);
UPK_API upk_status upk_registry_add_classifier(upk_registry* registry, upk_str name,
                                               const upk_classifier_callbacks* callbacks);
UPK_API upk_status upk_registry_add_allocation(upk_registry* registry, upk_str name,
                                               const upk_allocation_callbacks* callbacks);
UPK_API upk_status upk_registry_add_control(upk_registry* registry, upk_str name,
                                            const upk_control_callbacks* callbacks);

/* ---- Policy documents --------------------------------------------------------------------- */

typedef struct upk_policy upk_policy;

/* Compiles a policy document (JSON text, docs/policy-document.md). registry may be NULL (the
 * built-ins only). UPK_POLICY_INVALID names the JSON path of the first problem. */
UPK_API upk_status upk_policy_compile(upk_policy** out, upk_str document,
                                      const upk_registry* registry);
UPK_API void upk_policy_free(upk_policy* policy);
/* The policy's currency code and its number of tiers; tier names by index (borrowed). */
UPK_API upk_status upk_policy_currency(upk_str* out, const upk_policy* policy);
UPK_API upk_status upk_policy_tier_count(size_t* out, const upk_policy* policy);
UPK_API upk_status upk_policy_tier_name(upk_str* out, const upk_policy* policy, size_t tier);

/* ---- Portfolios --------------------------------------------------------------------------- */

typedef struct upk_portfolio_builder upk_portfolio_builder;

typedef struct upk_attribute {
  upk_str key;
  upk_str value;
} upk_attribute;

typedef struct upk_metric_value {
  upk_str name;
  double value;
} upk_metric_value;

/* A customer and its metrics for the period. Money metrics are minor units of the portfolio's
 * currency. As an out-parameter (upk_portfolio_customer) the strings are borrowed from the
 * portfolio and the attribute and custom metric arrays are not filled. */
typedef struct upk_customer {
  size_t size;
  upk_str id;
  upk_str name;
  upk_str owner;
  upk_str region;
  int64_t revenue_minor;
  int64_t gross_margin_minor;
  double growth;
  double tenure_months;
  double order_count;
  double recency_days;
  double satisfaction;
  double churn_risk;
  const upk_attribute* attributes;
  size_t attribute_count;
  const upk_metric_value* custom_metrics;
  size_t custom_metric_count;
} upk_customer;
#define UPK_CUSTOMER_INIT                                                                        \
  {                                                                                              \
    sizeof(upk_customer), UPK_STR_NULL, UPK_STR_NULL, UPK_STR_NULL, UPK_STR_NULL, 0, 0, 0, 0, 0, \
        0, 0, 0, NULL, 0, NULL, 0                                                                \
  }

UPK_API upk_status upk_portfolio_builder_new(upk_portfolio_builder** out, upk_str currency);
UPK_API void upk_portfolio_builder_free(upk_portfolio_builder* builder);
UPK_API upk_status upk_portfolio_builder_add(upk_portfolio_builder* builder,
                                             const upk_customer* customer);
/* Adds customers[0..count) in order and stops at the first bad one; *out says how many were
 * added (the bad one is customers[*out], named in the message). */
UPK_API upk_status upk_portfolio_builder_add_many(size_t* out, upk_portfolio_builder* builder,
                                                  const upk_customer* customers, size_t count);
/* Builds the portfolio (sorted by id; UPK_ALREADY_EXISTS names a duplicate). The builder is
 * left empty either way; free it. */
UPK_API upk_status upk_portfolio_build(upk_portfolio** out, upk_portfolio_builder* builder);

typedef struct upk_csv_options {
  size_t size;
  upk_str currency;      /* the portfolio's currency ("CNY") */
  upk_str source;        /* a name for messages ("portfolio.csv") */
  int32_t skip_bad_rows; /* 0: the first bad row fails the import; 1: report and skip it */
} upk_csv_options;
#define UPK_CSV_OPTIONS_INIT \
  { sizeof(upk_csv_options), UPK_STR_NULL, UPK_STR_NULL, 0 }

/* Imports a portfolio from CSV text (format: upkeep/io/portfolio_csv.h). out_rejected_json may
 * be NULL; else it receives [{"line": 7, "reason": "..."}, ...] (free with upk_string_free). */
UPK_API upk_status upk_portfolio_from_csv(upk_portfolio** out, char** out_rejected_json,
                                          upk_str csv_text, const upk_csv_options* options);
UPK_API void upk_portfolio_free(upk_portfolio* portfolio);
UPK_API upk_status upk_portfolio_count(size_t* out, const upk_portfolio* portfolio);
UPK_API upk_status upk_portfolio_customer(upk_customer* out, const upk_portfolio* portfolio,
                                          size_t index);
/* The index of customer `id`; UPK_NOT_FOUND if absent. */
UPK_API upk_status upk_portfolio_find(size_t* out, const upk_portfolio* portfolio, upk_str id);
/* Any metric by name (standard or custom); money metrics in minor units. */
UPK_API upk_status upk_portfolio_metric(double* out, const upk_portfolio* portfolio, upk_str metric,
                                        size_t index);

/* ---- Plans: classify, size, allocate ------------------------------------------------------ */

typedef struct upk_plan upk_plan;

typedef struct upk_plan_options {
  size_t size;
  int32_t has_pool; /* 1: allocate `pool`; 0: the policy's sizing section sizes it */
  upk_money pool;
  const upk_plan* previous; /* last period's plan, for hysteresis; NULL for the first period */
} upk_plan_options;
#define UPK_PLAN_OPTIONS_INIT \
  { sizeof(upk_plan_options), 0, UPK_MONEY_INIT, NULL }

/* Classifies the portfolio, sizes the pool and allocates it. options may be NULL. */
UPK_API upk_status upk_plan_new(upk_plan** out, const upk_policy* policy,
                                const upk_portfolio* portfolio, const upk_plan_options* options);
UPK_API void upk_plan_free(upk_plan* plan);

typedef struct upk_plan_summary {
  size_t size;
  size_t customer_count;
  size_t tier_count;
  upk_money pool;
  int64_t allocated_minor;   /* sum of the customers' amounts */
  int64_t reserve_minor;     /* held back on purpose */
  int64_t unallocated_minor; /* could not be placed under the rules */
} upk_plan_summary;
#define UPK_PLAN_SUMMARY_INIT \
  { sizeof(upk_plan_summary), 0, 0, UPK_MONEY_INIT, 0, 0, 0 }
UPK_API upk_status upk_plan_summary_get(upk_plan_summary* out, const upk_plan* plan);

/* Allocation flag bits (customers and tiers). */
enum {
  UPK_ALLOC_FLOORED = 1,
  UPK_ALLOC_CAPPED = 2,
  UPK_ALLOC_REBALANCED = 4,
  UPK_ALLOC_REWEIGHTED = 8
};
/* Why a customer is in its tier. */
enum {
  UPK_TIER_BY_RULE = 0,
  UPK_TIER_BY_HYSTERESIS = 1,
  UPK_TIER_BY_CUSTOM = 2,
  UPK_TIER_BY_FEEDBACK = 3
};

typedef struct upk_plan_tier {
  size_t size;
  upk_str name; /* borrowed from the plan */
  upk_str rule; /* the tier's condition in words */
  size_t customers;
  int64_t amount_minor;
  int64_t smallest_minor;
  int64_t largest_minor;
  uint32_t flags;      /* UPK_ALLOC_* held at tier level */
  int64_t bound_minor; /* that floor or cap, else 0 */
} upk_plan_tier;
#define UPK_PLAN_TIER_INIT \
  { sizeof(upk_plan_tier), UPK_STR_NULL, UPK_STR_NULL, 0, 0, 0, 0, 0, 0 }
UPK_API upk_status upk_plan_tier_get(upk_plan_tier* out, const upk_plan* plan, size_t tier);

typedef struct upk_plan_customer {
  size_t size;
  upk_str id;          /* borrowed from the plan */
  uint32_t tier;       /* 0 = highest */
  uint32_t rule_tier;  /* the tier the rule alone gave (differs under hysteresis) */
  int32_t tier_reason; /* UPK_TIER_BY_* */
  double score;
  int64_t amount_minor; /* the answer */
  int64_t base_minor;   /* what the distribution step gave */
  uint64_t weight;      /* the customer's weight under that step */
  int64_t bound_minor;  /* the floor or cap that held it, else 0 */
  uint32_t step;        /* the step that last set the amount */
  uint32_t flags;       /* UPK_ALLOC_* */
} upk_plan_customer;
#define UPK_PLAN_CUSTOMER_INIT \
  { sizeof(upk_plan_customer), UPK_STR_NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }
/* Customer `index` in portfolio order (by id). */
UPK_API upk_status upk_plan_customer_get(upk_plan_customer* out, const upk_plan* plan,
                                         size_t index);
UPK_API upk_status upk_plan_find_customer(size_t* out, const upk_plan* plan, upk_str id);

/* Explanations, in words: why customer `index` is in its tier, how it got its amount, and the
 * sizing formula with its terms. Free with upk_string_free. */
UPK_API upk_status upk_plan_explain_tier(char** out, const upk_plan* plan, size_t index);
UPK_API upk_status upk_plan_explain_amount(char** out, const upk_plan* plan, size_t index);
UPK_API upk_status upk_plan_explain_sizing(char** out, const upk_plan* plan);
/* The whole plan as JSON (money as decimal strings and as minor units). */
UPK_API upk_status upk_plan_to_json(char** out, const upk_plan* plan);

/* ---- Ledger: budgets, reservations, control ----------------------------------------------- */

typedef struct upk_ledger upk_ledger;
typedef struct upk_decision upk_decision;

typedef struct upk_ledger_options {
  size_t size;
  upk_str currency;                 /* required */
  upk_str bootstrap_admin;          /* empty: "admin" */
  int64_t fixed_time_micros;        /* 0: the system clock; else every event gets this time */
  int32_t refund_returns_to_budget; /* 1 (the default in _INIT) or 0 */
} upk_ledger_options;
#define UPK_LEDGER_OPTIONS_INIT \
  { sizeof(upk_ledger_options), UPK_STR_NULL, UPK_STR_NULL, 0, 1 }

/* A new, empty ledger with its own in-memory journal. */
UPK_API upk_status upk_ledger_new(upk_ledger** out, const upk_ledger_options* options);
UPK_API void upk_ledger_free(upk_ledger* ledger);

/* Definitions (admin; periods also finance). `actor` is who does it. */
UPK_API upk_status upk_ledger_define_actor(upk_ledger* ledger, upk_str actor, upk_str id,
                                           int32_t role);
UPK_API upk_status upk_ledger_define_category(upk_ledger* ledger, upk_str actor, upk_str category);
UPK_API upk_status upk_ledger_define_tier(upk_ledger* ledger, upk_str actor, upk_str tier);
UPK_API upk_status upk_ledger_define_customer(upk_ledger* ledger, upk_str actor, upk_str id,
                                              upk_str tier, upk_str owner, upk_str region);
UPK_API upk_status upk_ledger_define_period(upk_ledger* ledger, upk_str actor, upk_str id,
                                            int64_t start_micros, int64_t end_micros);
UPK_API upk_status upk_ledger_close_period(upk_ledger* ledger, upk_str actor, upk_str period);
/* Replaces the control policies with a control document (JSON; upkeep/ledger/control.h).
 * registry (may be NULL) supplies custom control policies. */
UPK_API upk_status upk_ledger_set_policies(upk_ledger* ledger, upk_str actor, upk_str control_json,
                                           const upk_registry* registry);

/* Budgets (finance, admin). */
typedef struct upk_envelope {
  upk_str customer;
  upk_str tier; /* empty: the customer's tier */
  int64_t amount_minor;
} upk_envelope;

typedef struct upk_budget_request {
  size_t size;
  upk_str op_id;
  upk_str actor;
  upk_str period;
  upk_str category;
  upk_str reason;
} upk_budget_request;
#define UPK_BUDGET_REQUEST_INIT                                                         \
  {                                                                                     \
    sizeof(upk_budget_request), UPK_STR_NULL, UPK_STR_NULL, UPK_STR_NULL, UPK_STR_NULL, \
        UPK_STR_NULL                                                                    \
  }

/* Envelope budgets for one period and category; tier pools and the company are their sums. */
UPK_API upk_status upk_ledger_apply_allocation(upk_ledger* ledger,
                                               const upk_budget_request* request,
                                               const upk_envelope* envelopes, size_t count);
/* The same from a plan in one call: defines the plan's tiers and customers where the ledger
 * does not have them yet (tier, owner and region from the plan), then applies its amounts. */
UPK_API upk_status upk_ledger_apply_plan(upk_ledger* ledger, const upk_budget_request* request,
                                         const upk_plan* plan);

typedef struct upk_budget_change {
  size_t size;
  upk_str op_id;
  upk_str actor;
  upk_scope scope;  /* revise: the scope; transfer: from; dimension: an owner or region scope */
  upk_scope to;     /* transfer only */
  upk_money amount; /* revise and dimension: the new budget; transfer: the amount moved */
  upk_str reason;   /* required for revise and transfer */
} upk_budget_change;
#define UPK_BUDGET_CHANGE_INIT                                                             \
  {                                                                                        \
    sizeof(upk_budget_change), UPK_STR_NULL, UPK_STR_NULL, UPK_SCOPE_INIT, UPK_SCOPE_INIT, \
        UPK_MONEY_INIT, UPK_STR_NULL                                                       \
  }
UPK_API upk_status upk_ledger_revise(upk_ledger* ledger, const upk_budget_change* change);
UPK_API upk_status upk_ledger_transfer(upk_ledger* ledger, const upk_budget_change* change);
UPK_API upk_status upk_ledger_set_dimension_budget(upk_ledger* ledger,
                                                   const upk_budget_change* change);

/* A reserve, a spend or a dry-run check. */
typedef struct upk_request {
  size_t size;
  upk_str op_id; /* caller-chosen; an op applies at most once */
  upk_str actor;
  upk_str period;
  upk_str customer;
  upk_str category;
  upk_money amount;
  int64_t expiry_micros; /* reserve only; 0: never */
  upk_str reason;
  int32_t explain;   /* 1: give reasons for a plain approval too */
  uint32_t envelope; /* 0: the envelope named by period, customer and category; else a handle
                        from upk_ledger_resolve_envelope (and those three left empty) */
} upk_request;
#define UPK_REQUEST_INIT                                                                       \
  {                                                                                            \
    sizeof(upk_request), UPK_STR_NULL, UPK_STR_NULL, UPK_STR_NULL, UPK_STR_NULL, UPK_STR_NULL, \
        UPK_MONEY_INIT, 0, UPK_STR_NULL, 0, 0                                                  \
  }

/* The answer to a request. status is used by the batch calls (per request). */
typedef struct upk_result {
  size_t size;
  upk_status status;
  int32_t outcome;  /* UPK_OUTCOME_* */
  int32_t replayed; /* 1: this op id was applied before; its first result again */
  uint32_t reason_count;
} upk_result;
#define UPK_RESULT_INIT \
  { sizeof(upk_result), 0, 0, 0, 0 }

/* A rejected request returns UPK_OK with outcome UPK_OUTCOME_REJECT and changes nothing.
 * details may be NULL; otherwise it receives the decision with its reasons. */
UPK_API upk_status upk_ledger_reserve(upk_result* out, upk_decision* details, upk_ledger* ledger,
                                      const upk_request* request);
UPK_API upk_status upk_ledger_spend(upk_result* out, upk_decision* details, upk_ledger* ledger,
                                    const upk_request* request);
/* What reserve (as_spend 0) or spend (1) would answer now; changes nothing. */
UPK_API upk_status upk_ledger_check(upk_result* out, upk_decision* details,
                                    const upk_ledger* ledger, const upk_request* request,
                                    int32_t as_spend);
/* For hot loops: the handle of an existing customer envelope, to put in upk_request.envelope
 * instead of its period, customer and category (it skips looking up three names per request).
 * Never 0; valid for the life of the ledger. UPK_NOT_FOUND for an unknown envelope. */
UPK_API upk_status upk_ledger_resolve_envelope(uint32_t* out, const upk_ledger* ledger,
                                               upk_str period, upk_str customer, upk_str category);
/* Batches: out[i] answers requests[i] (its status included); each applies on its own, as the
 * single call would answer it, in order, under one acquisition of the ledger's lock (other
 * threads' requests wait for the whole batch). Returns UPK_OK when every request was processed,
 * whatever their statuses; out[i].size must be set. */
UPK_API upk_status upk_ledger_reserve_batch(upk_result* out, upk_ledger* ledger,
                                            const upk_request* requests, size_t count);
UPK_API upk_status upk_ledger_spend_batch(upk_result* out, upk_ledger* ledger,
                                          const upk_request* requests, size_t count);
/* Checks as a batch: out[i] is what upk_ledger_check (as_spend 0: as a reserve; 1: as a spend)
 * would answer for requests[i], each against the ledger as it is (the requests do not see each
 * other), with the memory of the next requests loaded while one is decided (about twice as many
 * checks a second as single calls on a large ledger). Changes nothing. The ledger's lock is
 * taken shared once for each 1,024 requests: other threads' checks run beside it, and a change
 * from another thread goes ahead between two turns instead of waiting for the whole batch (a
 * change made between turns is seen by the requests after it). Returns
 * UPK_OK when every request was checked, whatever their statuses;
 * out[i].size must be set. */
UPK_API upk_status upk_ledger_check_batch(upk_result* out, const upk_ledger* ledger,
                                          const upk_request* requests, size_t count,
                                          int32_t as_spend);

/* A batch as columns, for hosts that hold their requests as arrays (the Python and C# bindings):
 * request i is op id i, customer i (or envelope handle i) and amounts_minor[i]; actor, period,
 * category, currency, expiry and reason are shared. A text column is its strings back to back
 * (one upk_str) plus their sizes in bytes, which must add up to the column's size and cut it
 * only between UTF-8 characters. Give customers (with period and category) or envelopes, not
 * both. Bad columns fail the whole call (UPK_NULL_ARGUMENT, UPK_INVALID_ARGUMENT for sizes
 * that lie or a column given twice, UPK_INVALID_UTF8) and apply nothing; otherwise every
 * request applies on its own and out[i] answers it, as in upk_ledger_reserve_batch. */
typedef struct upk_request_columns {
  size_t size;
  size_t count;
  upk_str actor;
  upk_str period;   /* with customers */
  upk_str category; /* with customers */
  char currency[4]; /* of every amount ("CNY", NUL-padded) */
  upk_str op_ids;
  const uint32_t* op_id_sizes;
  upk_str customers;              /* empty with envelopes */
  const uint32_t* customer_sizes; /* NULL with envelopes */
  const uint32_t* envelopes;      /* upk_ledger_resolve_envelope handles; NULL with customers */
  const int64_t* amounts_minor;
  int64_t expiry_micros; /* reserve only; 0: never */
  upk_str reason;
} upk_request_columns;
#define UPK_REQUEST_COLUMNS_INIT                                                            \
  {                                                                                         \
    sizeof(upk_request_columns), 0, UPK_STR_NULL, UPK_STR_NULL, UPK_STR_NULL, {0, 0, 0, 0}, \
        UPK_STR_NULL, NULL, UPK_STR_NULL, NULL, NULL, NULL, 0, UPK_STR_NULL                 \
  }
UPK_API upk_status upk_ledger_reserve_columns(upk_result* out, upk_ledger* ledger,
                                              const upk_request_columns* columns);
UPK_API upk_status upk_ledger_spend_columns(upk_result* out, upk_ledger* ledger,
                                            const upk_request_columns* columns);
/* The columns' requests checked as upk_ledger_check_batch checks them; changes nothing. */
UPK_API upk_status upk_ledger_check_columns(upk_result* out, const upk_ledger* ledger,
                                            const upk_request_columns* columns, int32_t as_spend);

/* Post (has_amount 0: all; else at most the reservation, the rest is released), void, refund
 * (has_amount 0: all not yet refunded; return_to_budget -1: the ledger default, 0, 1). */
typedef struct upk_settle_request {
  size_t size;
  upk_str op_id;
  upk_str actor;
  upk_str target_id; /* the reservation (post, void) or the spend / posted reservation (refund) */
  int32_t has_amount;
  upk_money amount;
  int32_t return_to_budget;
  upk_str reason;
} upk_settle_request;
#define UPK_SETTLE_REQUEST_INIT                                                                  \
  {                                                                                              \
    sizeof(upk_settle_request), UPK_STR_NULL, UPK_STR_NULL, UPK_STR_NULL, 0, UPK_MONEY_INIT, -1, \
        UPK_STR_NULL                                                                             \
  }
UPK_API upk_status upk_ledger_post(upk_ledger* ledger, const upk_settle_request* request);
UPK_API upk_status upk_ledger_void(upk_ledger* ledger, const upk_settle_request* request);
UPK_API upk_status upk_ledger_refund(upk_ledger* ledger, const upk_settle_request* request);
/* Releases open reservations whose expiry <= now_micros; *out is how many. */
UPK_API upk_status upk_ledger_expire(int64_t* out, upk_ledger* ledger, upk_str actor,
                                     int64_t now_micros);

/* Approvals: the approver (never the requester) approves or rejects the request whose op id is
 * approval_id. Approve decides it again, with approval granted. */
UPK_API upk_status upk_ledger_approve(upk_result* out, upk_decision* details, upk_ledger* ledger,
                                      upk_str actor, upk_str approval_id, upk_str reason);
UPK_API upk_status upk_ledger_reject_approval(upk_ledger* ledger, upk_str actor,
                                              upk_str approval_id, upk_str reason);
/* The requester (actor) takes back their own pending request: UPK_PERMISSION_DENIED for anyone
 * else, UPK_INVALID_STATE if it is not pending. Its op id stays used (a retry answers reject,
 * replayed); upk_ledger_reservation reports it as UPK_RESERVATION_VOIDED. */
UPK_API upk_status upk_ledger_withdraw_approval(upk_ledger* ledger, upk_str actor,
                                                upk_str approval_id, upk_str reason);

/* Reads. */
UPK_API upk_status upk_ledger_balance(upk_balance* out, const upk_ledger* ledger,
                                      const upk_scope* scope);

enum {
  UPK_RESERVATION_OPEN = 0,
  UPK_RESERVATION_POSTED = 1,
  UPK_RESERVATION_VOIDED = 2,
  UPK_RESERVATION_EXPIRED = 3,
  UPK_RESERVATION_PENDING = 4
};
typedef struct upk_reservation {
  size_t size;
  int32_t status; /* UPK_RESERVATION_* */
  int64_t amount_minor;
  int64_t posted_minor;
  int64_t refunded_minor;
  int64_t expiry_micros;
} upk_reservation;
#define UPK_RESERVATION_INIT \
  { sizeof(upk_reservation), 0, 0, 0, 0, 0 }
UPK_API upk_status upk_ledger_reservation(upk_reservation* out, const upk_ledger* ledger,
                                          upk_str op_id);

/* Reports as JSON (free with upk_string_free): every scope with its balance; the pending
 * approvals; the events behind one scope's balance; the canonical state dump. */
UPK_API upk_status upk_ledger_scopes_json(char** out, const upk_ledger* ledger);
UPK_API upk_status upk_ledger_pending_approvals_json(char** out, const upk_ledger* ledger);
UPK_API upk_status upk_ledger_history_json(char** out, const upk_ledger* ledger,
                                           const upk_scope* scope);
UPK_API upk_status upk_ledger_dump_state(char** out, const upk_ledger* ledger);

/* The journal: number of events; seal (hash every new entry; out receives the 32-byte head);
 * verify (UPK_CORRUPT naming the first altered entry). */
UPK_API upk_status upk_ledger_journal_size(uint64_t* out, const upk_ledger* ledger);
UPK_API upk_status upk_ledger_journal_seal(uint8_t* out, upk_ledger* ledger);
UPK_API upk_status upk_ledger_journal_verify(const upk_ledger* ledger);

/* ---- Decisions ----------------------------------------------------------------------------- */

/* A reusable holder for a decision's reasons; one thread at a time. */
UPK_API upk_status upk_decision_new(upk_decision** out);
UPK_API void upk_decision_free(upk_decision* decision);

typedef struct upk_reason {
  size_t size;
  int32_t outcome;
  upk_str rule_id; /* borrowed: valid until the decision is filled again or freed */
  upk_scope scope;
  upk_balance balance; /* the scope's balance before the request */
  int64_t requested_minor;
  int64_t shortfall_minor;
  upk_str message;
  upk_str remedy;
} upk_reason;
#define UPK_REASON_INIT                                                                        \
  {                                                                                            \
    sizeof(upk_reason), 0, UPK_STR_NULL, UPK_SCOPE_INIT, UPK_BALANCE_INIT, 0, 0, UPK_STR_NULL, \
        UPK_STR_NULL                                                                           \
  }
UPK_API upk_status upk_decision_outcome(int32_t* out, const upk_decision* decision);
UPK_API upk_status upk_decision_reason_count(size_t* out, const upk_decision* decision);
UPK_API upk_status upk_decision_reason(upk_reason* out, const upk_decision* decision, size_t index);
/* One paragraph in words; and the decision as JSON with every reason. */
UPK_API upk_status upk_decision_explain(char** out, const upk_decision* decision);
UPK_API upk_status upk_decision_to_json(char** out, const upk_decision* decision);

/* ---- Monitoring: alerts, metrics and forecasts -------------------------------------------- */

/* Monitoring follows a ledger: every scope's numbers (upk_ledger_metrics), the spend records
 * that reports read, and the alert rules of a policy document's "monitoring" section
 * (docs/monitoring.md): thresholds, pace, forecast breaches, anomalies, valuable customers whose
 * budget lies unused. An alert is raised once per rule (and threshold) and scope, and stays
 * active until its condition stops holding; then a "cleared" alert follows. There is no thread
 * and no clock inside: rules that depend on time passing are evaluated by upk_ledger_sweep. */

/* Options of upk_ledger_attach_monitoring; NULL means the defaults of the _INIT macro. */
typedef struct upk_monitor_options {
  size_t size;
  size_t alert_log_max; /* the alert log keeps at most this many (oldest dropped); >= 1 */
} upk_monitor_options;
#define UPK_MONITOR_OPTIONS_INIT \
  { sizeof(upk_monitor_options), 100000 }

/* Attaches monitoring to a ledger, with the alert rules and forecast method of `policy`'s
 * "monitoring" section (policy NULL, or no such section: no alert rules and the linear forecast;
 * metrics and reports still work). The monitor first reads the ledger's whole journal (as if it
 * had been attached from the start: past alerts are in the log, active ones are active, none is
 * delivered to subscribers), then follows every change. Once per ledger: UPK_ALREADY_EXISTS
 * the second time; UPK_CURRENCY_MISMATCH for a policy in another currency. No other thread may
 * use the ledger during this call. Cost: one replay of the journal. */
UPK_API upk_status upk_ledger_attach_monitoring(upk_ledger* ledger, const upk_policy* policy,
                                                const upk_monitor_options* options);
/* Evaluates the time-driven rules (pace, forecast breach, under-use) on every watched scope at
 * now_micros; call it when you like (e.g. daily). Without monitoring: UPK_INVALID_STATE, like
 * every call below that needs it. */
UPK_API upk_status upk_ledger_sweep(upk_ledger* ledger, int64_t now_micros);

enum {
  UPK_ALERT_THRESHOLD = 0,
  UPK_ALERT_PACE = 1,
  UPK_ALERT_FORECAST_BREACH = 2,
  UPK_ALERT_ANOMALY = 3,
  UPK_ALERT_UNDER_USE = 4
};
/* "threshold", "pace", "forecast_breach", "anomaly", "under_use"; "unknown" otherwise. */
UPK_API const char* upk_alert_kind_name(int32_t kind);

/* The numbers of one scope at one time. Shares in basis points (1/100 %), money in minor units
 * of the ledger's currency; rates and projections rounded half-even. */
typedef struct upk_metrics {
  size_t size;
  int64_t budget_minor;
  int64_t reserved_minor;
  int64_t spent_minor;
  int64_t available_minor;
  int64_t used_minor;     /* spent + reserved */
  int64_t utilization_bp; /* used / budget */
  int64_t elapsed_bp;     /* the share of the period's time gone */
  int64_t burn_rate_minor_per_day;
  int64_t projected_minor;   /* used by the end of the period, by the forecast method */
  int64_t expected_share_bp; /* the forecast's expected share of spend by now */
  int32_t has_days_until_exhaustion;
  int64_t days_until_exhaustion; /* at the burn rate; valid when has_days_until_exhaustion */
  int64_t plan_minor;
  int64_t variance_minor; /* projected - plan: > 0 heads over the plan */
} upk_metrics;
#define UPK_METRICS_INIT \
  { sizeof(upk_metrics), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }

/* A raised (or cleared) alert. Strings are borrowed: from the alert list until it is filled
 * again or freed; in a subscriber callback, for the duration of the call. */
typedef struct upk_alert {
  size_t size;
  uint64_t seq; /* 0, 1, 2 ... per ledger, in the order raised or cleared */
  upk_str rule_id;
  int32_t kind;    /* UPK_ALERT_* */
  int32_t cleared; /* 0: raised; 1: its condition stopped holding */
  int64_t threshold_bp;
  int64_t time_micros; /* the event's time, or the sweep's */
  upk_scope scope;
  upk_metrics metrics;  /* the scope's numbers then */
  int64_t spend_minor;  /* anomaly: the spend */
  int64_t median_minor; /* anomaly: the customer's median spend */
  upk_str message;      /* the numbers in words */
  upk_str forecast;     /* the forecast's explanation */
} upk_alert;
#define UPK_ALERT_INIT                                                                      \
  {                                                                                         \
    sizeof(upk_alert), 0, UPK_STR_NULL, 0, 0, 0, 0, UPK_SCOPE_INIT, UPK_METRICS_INIT, 0, 0, \
        UPK_STR_NULL, UPK_STR_NULL                                                          \
  }

/* A reusable holder for alerts pulled from a ledger; one thread at a time. */
typedef struct upk_alert_list upk_alert_list;
UPK_API upk_status upk_alert_list_new(upk_alert_list** out);
UPK_API void upk_alert_list_free(upk_alert_list* list);
UPK_API upk_status upk_alert_list_count(size_t* out, const upk_alert_list* list);
UPK_API upk_status upk_alert_list_get(upk_alert* out, const upk_alert_list* list, size_t index);
/* [{"seq": 0, "rule": "usage", "kind": "threshold", "cleared": false, "threshold_bp": 8000,
 *   "time_micros": ..., "metrics": {...}, "message": "..."}, ...]; amounts as decimal text. */
UPK_API upk_status upk_alert_list_to_json(char** out, const upk_alert_list* list);

enum {
  UPK_ALERTS_ACTIVE = 0, /* raised and not cleared, in the order raised */
  UPK_ALERTS_LOG = 1,    /* every alert raised or cleared (at most alert_log_max, newest kept) */
  UPK_ALERTS_NEW = 2     /* raised or cleared since the last UPK_ALERTS_NEW pull (takes them) */
};
/* Fills `out` (replacing what it held) with the ledger's alerts of kind `which`. */
UPK_API upk_status upk_ledger_alerts(upk_alert_list* out, upk_ledger* ledger, int32_t which);

/* A subscriber: on_alert is called for every alert raised or cleared after it subscribed.
 *   - It runs on the thread whose upk_ call changed the ledger (a reserve, a post, a
 *     close_and_rollover ...) or called upk_ledger_sweep, inside that call, while the ledger and
 *     its monitor hold their locks. Alerts of one ledger are delivered one at a time, in seq
 *     order, never concurrently; the call that caused them returns after they are delivered.
 *   - It must be quick and must not call any function on this ledger (that deadlocks) or free
 *     it; other upk_ functions (upk_money_format, another ledger) are allowed. `alert` and its
 *     strings are valid during the call only: copy what you keep.
 *   - It cannot fail the operation (already applied): a host that wants to report an error
 *     keeps it and raises it after the call returns (the bindings do this).
 * The library copies the table; destroy (may be NULL) runs exactly once: when the ledger is
 * freed, or at once if subscribing fails. */
typedef struct upk_alert_callbacks {
  size_t size;
  void* user_data;
  void (*on_alert)(void* user_data, const upk_alert* alert);
  void (*destroy)(void* user_data);
} upk_alert_callbacks;
#define UPK_ALERT_CALLBACKS_INIT \
  { sizeof(upk_alert_callbacks), NULL, NULL, NULL }
UPK_API upk_status upk_ledger_subscribe_alerts(upk_ledger* ledger,
                                               const upk_alert_callbacks* callbacks);

/* One scope at one time; has_plan 0: the plan is the scope's current budget. */
typedef struct upk_metrics_request {
  size_t size;
  upk_scope scope;
  int64_t now_micros;
  int32_t has_plan;
  int64_t plan_minor;
} upk_metrics_request;
#define UPK_METRICS_REQUEST_INIT \
  { sizeof(upk_metrics_request), UPK_SCOPE_INIT, 0, 0, 0 }
/* The scope's numbers; UPK_NOT_FOUND for a scope or period the ledger does not have. */
UPK_API upk_status upk_ledger_metrics(upk_metrics* out, const upk_ledger* ledger,
                                      const upk_metrics_request* request);

/* ---- Reports (JSON) ------------------------------------------------------------------------ */

/* Reports read what monitoring keeps (upk_ledger_attach_monitoring first). They are JSON text,
 * freed with upk_string_free; amounts are decimal strings in the ledger's currency ("1234.56"),
 * shares in basis points. UPK_NOT_FOUND for a period the ledger does not have. */

enum {
  UPK_DIMENSION_COMPANY = 0,
  UPK_DIMENSION_TIER = 1,
  UPK_DIMENSION_CUSTOMER = 2,
  UPK_DIMENSION_OWNER = 3,
  UPK_DIMENSION_REGION = 4,
  UPK_DIMENSION_CATEGORY = 5
};

/* Budget vs actual: the customer envelopes of a period grouped by a dimension, optionally of one
 * category, with the actual spend per calendar month (UTC) and cumulatively, the variance and
 * the utilization per row, and a total: {"report": "budget_vs_actual", "period", "group_by",
 * "category", "currency", "months": ["2026-01", ...], "rows": [{"key", "budget", "actual",
 * "variance", "utilization_bp", "months": [...], "cumulative": [...]}], "total": {...}}. */
typedef struct upk_budget_report_request {
  size_t size;
  upk_str period;
  int32_t group_by; /* UPK_DIMENSION_* */
  upk_str category; /* empty: every category */
} upk_budget_report_request;
#define UPK_BUDGET_REPORT_REQUEST_INIT \
  { sizeof(upk_budget_report_request), UPK_STR_NULL, UPK_DIMENSION_TIER, UPK_STR_NULL }
UPK_API upk_status upk_ledger_budget_report_json(char** out, const upk_ledger* ledger,
                                                 const upk_budget_report_request* request);

/* Utilization: every scope of one level (UPK_SCOPE_TIER for utilization by tier) in a period,
 * optionally of one category, with its metrics and forecast at now_micros, sorted by key:
 * {"report": "utilization", "period", "level", "category", "currency", "now_micros",
 *  "rows": [{"scope", "key", "category", "budget", "reserved", "spent", "available",
 *            "utilization_bp", "elapsed_bp", "burn_rate_per_day", "projected", "plan",
 *            "variance", "days_until_exhaustion", "forecast"}]}. */
typedef struct upk_utilization_request {
  size_t size;
  upk_str period;
  int32_t level;    /* UPK_SCOPE_* */
  upk_str category; /* empty: every category */
  int64_t now_micros;
} upk_utilization_request;
#define UPK_UTILIZATION_REQUEST_INIT \
  { sizeof(upk_utilization_request), UPK_STR_NULL, UPK_SCOPE_TIER, UPK_STR_NULL, 0 }
UPK_API upk_status upk_ledger_utilization_json(char** out, const upk_ledger* ledger,
                                               const upk_utilization_request* request);

/* The forecast of one scope: its metrics as one row of the utilization report (with "forecast",
 * the projection in words). */
UPK_API upk_status upk_ledger_forecast_json(char** out, const upk_ledger* ledger,
                                            const upk_metrics_request* request);

/* ---- Period close and rollover ------------------------------------------------------------- */

/* Closes `period` and settles what each customer envelope has left into `next_period` by the
 * "rollover" section of a policy document (docs/monitoring.md): forfeit, carry all, carry
 * capped, carry expiring, carry the deficit, or sweep to a pool; open reservations are released
 * or moved. Every envelope settles exactly (unused == carried + forfeited + swept + moved); the
 * next period's budgets are revised in the journal with the explanation as reason.
 * carry_lots_json: money carried by "carry_expiring" rules, as the "lots_after" of the previous
 * close's plan ({"c1/gift": [[1, 5000]], ...}: per customer/category envelope, lots of
 * [times carried >= 1, amount_minor > 0]); empty for none. */
typedef struct upk_close_request {
  size_t size;
  upk_str actor; /* finance or admin */
  upk_str period;
  upk_str next_period;
  upk_str carry_lots_json;
} upk_close_request;
#define UPK_CLOSE_REQUEST_INIT \
  { sizeof(upk_close_request), UPK_STR_NULL, UPK_STR_NULL, UPK_STR_NULL, UPK_STR_NULL }

/* The totals of a close, in minor units. */
typedef struct upk_rollover_summary {
  size_t size;
  size_t settlement_count; /* envelopes settled */
  int64_t unused_minor;
  int64_t carried_minor;   /* < 0: deficits carried */
  int64_t forfeited_minor; /* < 0: overspends written off */
  int64_t swept_minor;
  int64_t moved_minor; /* open reservations moved to the next period */
} upk_rollover_summary;
#define UPK_ROLLOVER_SUMMARY_INIT \
  { sizeof(upk_rollover_summary), 0, 0, 0, 0, 0, 0 }

/* out_plan_json may be NULL; else it receives {"closed_period", "next_period", "unused_minor",
 * "carried_minor", "forfeited_minor", "swept_minor", "moved_minor", "settlements": [{"customer",
 * "category", "rule_id", "mode", "unused_minor", "moved_minor", "carried_minor",
 * "forfeited_minor", "swept_minor", "pool", "explanation", "level"}], "lots_after": {...}}.
 * "level" is the rule's level, "customer", "tier" or "company"; for a tier the "customer" field
 * holds the tier's name, for the company it is empty.
 * Errors (nothing changes): UPK_NOT_FOUND for a policy without a "rollover" section, an unknown
 * period or a next-period envelope or pool that does not exist (allocate the next period
 * first); UPK_INVALID_STATE for a period already closed; UPK_PERMISSION_DENIED;
 * UPK_CURRENCY_MISMATCH for a policy in another currency; UPK_PARSE for bad carry_lots_json.
 * Run one close at a time per ledger. */
UPK_API upk_status upk_ledger_close_and_rollover(upk_rollover_summary* out, char** out_plan_json,
                                                 upk_ledger* ledger, const upk_policy* policy,
                                                 const upk_close_request* request);

/* ---- Feedback: what came back, effectiveness, the next period's proposal ------------------ */

/* What the money brought, per customer and period (docs/monitoring.md "Effectiveness and
 * feedback"), kept by the monitoring attached to a ledger (UPK_INVALID_STATE without it):
 * outcomes (revenue now and before, renewal), customer feedback (scores 0..10, complaints) and
 * internal assessments (rating -2..+2). Records are idempotent: an outcome is keyed by (customer,
 * period), feedback and assessments by their id. Recording the same record again changes nothing
 * (*out UPK_RECORD_UNCHANGED); a different record under a taken key is UPK_ALREADY_EXISTS
 * (outcomes) or UPK_IDEMPOTENCY_CONFLICT (ids). Errors (nothing recorded): UPK_INVALID_ARGUMENT
 * for an empty id, customer or period, a negative amount or count, a score or rating out of
 * range; UPK_INVALID_UTF8; UPK_NOT_FOUND for a customer or period the ledger does not have.
 * Records live with the monitor, in memory: they are not journalled. */
enum { UPK_RENEWAL_UNKNOWN = 0, UPK_RENEWAL_RENEWED = 1, UPK_RENEWAL_CHURNED = 2 };
enum { UPK_ASSESSOR_ACCOUNT_MANAGER = 0, UPK_ASSESSOR_MANAGER = 1 };
enum { UPK_RECORD_ADDED = 0, UPK_RECORD_UNCHANGED = 1 };

typedef struct upk_outcome_record {
  size_t size;
  upk_str customer;
  upk_str period;
  int64_t revenue_minor;        /* >= 0, in the ledger's currency */
  int64_t revenue_before_minor; /* >= 0, the comparable period before */
  int32_t renewal;              /* UPK_RENEWAL_* */
} upk_outcome_record;
#define UPK_OUTCOME_RECORD_INIT \
  { sizeof(upk_outcome_record), UPK_STR_NULL, UPK_STR_NULL, 0, 0, UPK_RENEWAL_UNKNOWN }

typedef struct upk_customer_feedback {
  size_t size;
  upk_str id;
  upk_str customer;
  upk_str period;
  int32_t has_satisfaction;
  int32_t satisfaction; /* 0..10, when has_satisfaction */
  int32_t has_recommend;
  int32_t recommend;  /* 0..10 (the NPS question), when has_recommend */
  int32_t complaints; /* >= 0 */
  upk_str comment;
} upk_customer_feedback;
#define UPK_CUSTOMER_FEEDBACK_INIT                                                          \
  {                                                                                         \
    sizeof(upk_customer_feedback), UPK_STR_NULL, UPK_STR_NULL, UPK_STR_NULL, 0, 0, 0, 0, 0, \
        UPK_STR_NULL                                                                        \
  }

typedef struct upk_assessment {
  size_t size;
  upk_str id;
  upk_str customer;
  upk_str period;
  upk_str author; /* the actor id of the account manager or manager */
  int32_t role;   /* UPK_ASSESSOR_* */
  int32_t rating; /* -2 much worse .. +2 much better */
  upk_str comment;
} upk_assessment;
#define UPK_ASSESSMENT_INIT                                                         \
  {                                                                                 \
    sizeof(upk_assessment), UPK_STR_NULL, UPK_STR_NULL, UPK_STR_NULL, UPK_STR_NULL, \
        UPK_ASSESSOR_ACCOUNT_MANAGER, 0, UPK_STR_NULL                               \
  }

/* One record; out (UPK_RECORD_*) may be NULL. */
UPK_API upk_status upk_ledger_record_outcome(int32_t* out, upk_ledger* ledger,
                                             const upk_outcome_record* record);
UPK_API upk_status upk_ledger_record_feedback(int32_t* out, upk_ledger* ledger,
                                              const upk_customer_feedback* record);
UPK_API upk_status upk_ledger_record_assessment(int32_t* out, upk_ledger* ledger,
                                                const upk_assessment* record);
/* records[0..count) in order, stopping at the first bad one; *out says how many were recorded
 * (added or unchanged; the bad one is records[*out], named in the message). */
UPK_API upk_status upk_ledger_record_outcomes(size_t* out, upk_ledger* ledger,
                                              const upk_outcome_record* records, size_t count);
UPK_API upk_status upk_ledger_record_feedbacks(size_t* out, upk_ledger* ledger,
                                               const upk_customer_feedback* records, size_t count);
UPK_API upk_status upk_ledger_record_assessments(size_t* out, upk_ledger* ledger,
                                                 const upk_assessment* records, size_t count);
/* The whole log, in the order recorded: {"currency", "outcomes": [{"customer", "period", "revenue",
 * "revenue_before", "renewal"}], "feedback": [{"id", "customer", "period", "satisfaction",
 * "recommend", "complaints", "comment"}], "assessments": [{"id", "customer", "period", "author",
 * "role", "rating", "comment"}]}; amounts as decimal text. */
UPK_API upk_status upk_ledger_feedback_json(char** out, const upk_ledger* ledger);

/* Is the money working? The customers of a period grouped by a dimension (UPK_DIMENSION_*):
 * {"report": "effectiveness", "period", "group_by", "currency", "rows": [{"key", "customers",
 *  "budget", "spent", "revenue", "revenue_before", "revenue_change", "return_bp", "roi_bp",
 *  "cost_to_serve_bp", "renewed", "churned", "retention_bp", "satisfaction_avg_centi", "nps",
 *  "complaints", "rating_avg_centi"}], "total": {...}, "ranking": [keys, best return first]};
 * ratios are null when their denominator is 0. UPK_NOT_FOUND for an unknown period. */
typedef struct upk_effectiveness_request {
  size_t size;
  upk_str period;
  int32_t group_by; /* UPK_DIMENSION_* */
} upk_effectiveness_request;
#define UPK_EFFECTIVENESS_REQUEST_INIT \
  { sizeof(upk_effectiveness_request), UPK_STR_NULL, UPK_DIMENSION_TIER }
UPK_API upk_status upk_ledger_effectiveness_json(char** out, const upk_ledger* ledger,
                                                 const upk_effectiveness_request* request);

/* A proposal for the next period: per customer a tier move and a weight multiplier, from the
 * "feedback" section of a policy document (docs/policy-document.md) over a period's signals,
 * held within the section's bound. It moves draft -> approved (by a named actor) -> applied
 * (upk_proposal_mark_applied, once its plan is taken); reject ends a draft; a step from the wrong
 * state is UPK_INVALID_STATE. A proposal is a value owned by the caller (upk_proposal_free); one
 * thread at a time. */
typedef struct upk_proposal upk_proposal;
enum {
  UPK_PROPOSAL_DRAFT = 0,
  UPK_PROPOSAL_APPROVED = 1,
  UPK_PROPOSAL_REJECTED = 2,
  UPK_PROPOSAL_APPLIED = 3
};
/* Proposes from the signals of `period` on the ledger's monitor. UPK_NOT_FOUND for a policy
 * without a "feedback" section or an unknown period; UPK_CURRENCY_MISMATCH for a policy in
 * another currency than the ledger. */
UPK_API upk_status upk_ledger_propose(upk_proposal** out, const upk_ledger* ledger,
                                      const upk_policy* policy, upk_str period);
UPK_API void upk_proposal_free(upk_proposal* proposal);
UPK_API upk_status upk_proposal_state(int32_t* out, const upk_proposal* proposal);
/* UPK_INVALID_ARGUMENT for an empty actor. */
UPK_API upk_status upk_proposal_approve(upk_proposal* proposal, upk_str actor);
UPK_API upk_status upk_proposal_reject(upk_proposal* proposal, upk_str actor);
UPK_API upk_status upk_proposal_mark_applied(upk_proposal* proposal);
/* {"report": "feedback_proposal", "period", "policy", "max_change_bp", "state" ("draft",
 *  "approved", "rejected", "applied"), "decided_by", "changes": [{"customer",
 *  "tier_from", "tier_to", "multiplier_bp", "reasons": [...]}]}. */
UPK_API upk_status upk_proposal_to_json(char** out, const upk_proposal* proposal);
/* The next period's plan for `next` beside the current plan (made by upk_plan_new for its
 * portfolio), customer by customer, for a draft or approved proposal: {"report":
 * "proposal_simulation", "currency", "pool_next", "tiers": [{"tier", "customers_now",
 * "amount_now", "customers_next", "amount_next"}], "customers": [{"customer", "tier_now",
 * "tier_next", "amount_now", "amount_next", "change_bp", "share_change_bp", "multiplier_bp",
 * "reasons"}]} (next portfolio order; change_bp null for a customer new to it). options may be NULL
 * (the pool and previous plan as for upk_plan_new). Errors: UPK_INVALID_STATE (rejected or
 * applied), UPK_NOT_FOUND (a proposed tier the policy does not have), UPK_CURRENCY_MISMATCH,
 * UPK_INFEASIBLE (the bound cannot hold: the message says by how much), and upk_plan_new's. */
UPK_API upk_status upk_proposal_simulate_json(char** out, const upk_policy* policy,
                                              const upk_plan* current, const upk_portfolio* next,
                                              const upk_proposal* proposal,
                                              const upk_plan_options* options);
/* The next period's plan from an approved proposal (UPK_INVALID_STATE otherwise), read like any
 * plan (upk_plan_*); then mark the proposal applied. Errors as for the simulation. */
UPK_API upk_status upk_plan_from_proposal(upk_plan** out, const upk_policy* policy,
                                          const upk_plan* current, const upk_portfolio* next,
                                          const upk_proposal* proposal,
                                          const upk_plan_options* options);

/* ---- Durable books ------------------------------------------------------------------------- */

/* A book is a ledger that journals into a store named by a URI ("sqlite:/path/book.db", a plain
 * path, or "memory:"; docs/store.md) and is reopened after a crash in exactly the state of its
 * last durable operation. upk_book_open gives a ledger handle that every upk_ledger_* call
 * takes; upk_ledger_journal_* work on the book's journal. */
enum {
  UPK_DURABILITY_SYNC_EACH_COMMIT = 0, /* every operation durable before it returns (default) */
  UPK_DURABILITY_GROUP_COMMIT = 1      /* durable at upk_book_commit (many share one fsync) */
};

typedef struct upk_book_options {
  size_t size;
  /* currency is required: a new book's, and an existing book must have it
   * (UPK_CURRENCY_MISMATCH); bootstrap_admin is used for a new book only. */
  upk_ledger_options ledger;
  int32_t durability;             /* UPK_DURABILITY_* */
  uint32_t group_events_max;      /* group commit: commit on its own once this many events wait */
  int32_t create_if_missing;      /* 1: create a missing book; 0: UPK_NOT_FOUND */
  uint64_t snapshot_every_events; /* a background snapshot every N events; 0: only on demand */
  /* Custom control policies named in the book's journal (may be NULL); needed to reopen a book
   * whose policies use them. */
  const upk_registry* registry;
} upk_book_options;
#define UPK_BOOK_OPTIONS_INIT                                                                    \
  {                                                                                              \
    sizeof(upk_book_options), UPK_LEDGER_OPTIONS_INIT, UPK_DURABILITY_SYNC_EACH_COMMIT, 4096, 1, \
        1000000, NULL                                                                            \
  }

/* Opens (or creates) the book at `uri`. Errors: UPK_INVALID_ARGUMENT for an unknown scheme,
 * UPK_BUSY when another writer has it open, UPK_IO naming the path (unwritable), UPK_CORRUPT
 * naming the first damaged journal entry or snapshot, UPK_UNSUPPORTED_VERSION for a book from a
 * newer upkeep, UPK_NOT_FOUND (create_if_missing 0). Free the handle with upk_book_close (which
 * reports a failed final commit) or upk_ledger_free (which does not). */
UPK_API upk_status upk_book_open(upk_ledger** out, upk_str uri, const upk_book_options* options);
/* Makes every operation so far durable (group commit; with sync each commit they already are),
 * and reports a failed background snapshot. UPK_INVALID_ARGUMENT for a ledger that is not a
 * book (from upk_ledger_new), like the other upk_book_ calls. */
UPK_API upk_status upk_book_commit(upk_ledger* book);
/* Writes a snapshot now; *out is the number of journal entries it covers. */
UPK_API upk_status upk_book_snapshot(uint64_t* out, upk_ledger* book);
/* Checks the whole journal's hash chain and every snapshot; UPK_CORRUPT names the first damage. */
UPK_API upk_status upk_book_verify(const upk_ledger* book);
/* Stops the snapshot thread, commits, and frees the handle, whatever the result (the handle is
 * gone afterwards, like fclose); returns the final commit's status. A ledger from
 * upk_ledger_new is simply freed (UPK_OK); NULL is a no-op. No other thread may use the book
 * during this call. */
UPK_API upk_status upk_book_close(upk_ledger* book);

/* ---- Policy tests -------------------------------------------------------------------------- */

typedef struct upk_test_summary {
  size_t size;
  size_t passed;
  size_t failed;
} upk_test_summary;
#define UPK_TEST_SUMMARY_INIT \
  { sizeof(upk_test_summary), 0, 0 }

/* Runs a file of policy test cases (JSON text, format in docs/c-api.md) with the custom
 * policies of `registry` (may be NULL). out_report receives the report as JSON:
 * {"summary": "N passed, M failed", "passed": N, "failed": M, "cases": [...]}. UPK_OK means the
 * cases ran (failed ones included); a malformed case file is UPK_POLICY_INVALID. */
UPK_API upk_status upk_run_policy_tests(upk_test_summary* out, char** out_report,
                                        upk_str cases_json, const upk_registry* registry);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* UPKEEP_UPKEEP_H_ */
