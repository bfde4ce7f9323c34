#include "CRabbitMQ.h"

amqp_rpc_reply_t CRabbitMQ_login(amqp_connection_state_t connection, const char *vhost,
                                 int channel_max, int frame_max, int heartbeat_seconds,
                                 const char *user, const char *password) {
  return amqp_login(connection, vhost, channel_max, frame_max, heartbeat_seconds,
                    AMQP_SASL_METHOD_PLAIN, user, password);
}

amqp_table_entry_t CRabbitMQ_entry_utf8(amqp_bytes_t key, amqp_bytes_t value) {
  amqp_table_entry_t entry;
  entry.key = key;
  entry.value.kind = AMQP_FIELD_KIND_UTF8;
  entry.value.value.bytes = value;
  return entry;
}

amqp_table_entry_t CRabbitMQ_entry_i64(amqp_bytes_t key, int64_t value) {
  amqp_table_entry_t entry;
  entry.key = key;
  entry.value.kind = AMQP_FIELD_KIND_I64;
  entry.value.value.i64 = value;
  return entry;
}

amqp_table_entry_t CRabbitMQ_entry_bool(amqp_bytes_t key, int value) {
  amqp_table_entry_t entry;
  entry.key = key;
  entry.value.kind = AMQP_FIELD_KIND_BOOLEAN;
  entry.value.value.boolean = value ? 1 : 0;
  return entry;
}

int CRabbitMQ_entry_get_bytes(const amqp_table_entry_t *entry, amqp_bytes_t *out) {
  if (entry->value.kind == AMQP_FIELD_KIND_UTF8 || entry->value.kind == AMQP_FIELD_KIND_BYTES) {
    *out = entry->value.value.bytes;
    return 1;
  }
  return 0;
}

int CRabbitMQ_entry_get_i64(const amqp_table_entry_t *entry, int64_t *out) {
  switch (entry->value.kind) {
    case AMQP_FIELD_KIND_I8: *out = entry->value.value.i8; return 1;
    case AMQP_FIELD_KIND_U8: *out = entry->value.value.u8; return 1;
    case AMQP_FIELD_KIND_I16: *out = entry->value.value.i16; return 1;
    case AMQP_FIELD_KIND_U16: *out = entry->value.value.u16; return 1;
    case AMQP_FIELD_KIND_I32: *out = entry->value.value.i32; return 1;
    case AMQP_FIELD_KIND_U32: *out = entry->value.value.u32; return 1;
    case AMQP_FIELD_KIND_I64: *out = entry->value.value.i64; return 1;
    case AMQP_FIELD_KIND_U64: *out = (int64_t)entry->value.value.u64; return 1;
    case AMQP_FIELD_KIND_TIMESTAMP: *out = (int64_t)entry->value.value.u64; return 1;
    default: return 0;
  }
}

int CRabbitMQ_entry_get_first_table(const amqp_table_entry_t *entry, amqp_table_t *out) {
  if (entry->value.kind != AMQP_FIELD_KIND_ARRAY) return 0;
  amqp_array_t array = entry->value.value.array;
  if (array.num_entries < 1 || array.entries[0].kind != AMQP_FIELD_KIND_TABLE) return 0;
  *out = array.entries[0].value.table;
  return 1;
}

int CRabbitMQ_entry_get_bool(const amqp_table_entry_t *entry, int *out) {
  if (entry->value.kind != AMQP_FIELD_KIND_BOOLEAN) return 0;
  *out = entry->value.value.boolean ? 1 : 0;
  return 1;
}
