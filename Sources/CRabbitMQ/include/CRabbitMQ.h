// The project's only window onto rabbitmq-c. Swift cannot call variadic C functions nor
// import macros that contain casts, so this header re-exports exactly those as prefixed
// functions and constants; everything else is used directly from the library headers.
#ifndef CRABBITMQ_H
#define CRABBITMQ_H

#include <stdint.h>
#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_tcp_socket.h>
#include <amqp_ssl_socket.h>

/// Methods the connection loop dispatches on (the header defines them with casts).
static const uint32_t CRabbitMQ_METHOD_BASIC_ACK = AMQP_BASIC_ACK_METHOD;
static const uint32_t CRabbitMQ_METHOD_BASIC_NACK = AMQP_BASIC_NACK_METHOD;
static const uint32_t CRabbitMQ_METHOD_BASIC_RETURN = AMQP_BASIC_RETURN_METHOD;
static const uint32_t CRabbitMQ_METHOD_BASIC_DELIVER = AMQP_BASIC_DELIVER_METHOD;
static const uint32_t CRabbitMQ_METHOD_BASIC_CANCEL = AMQP_BASIC_CANCEL_METHOD;
static const uint32_t CRabbitMQ_METHOD_CHANNEL_CLOSE = AMQP_CHANNEL_CLOSE_METHOD;
static const uint32_t CRabbitMQ_METHOD_CONNECTION_CLOSE = AMQP_CONNECTION_CLOSE_METHOD;
static const uint32_t CRabbitMQ_METHOD_CONNECTION_BLOCKED = AMQP_CONNECTION_BLOCKED_METHOD;
static const uint32_t CRabbitMQ_METHOD_CONNECTION_UNBLOCKED = AMQP_CONNECTION_UNBLOCKED_METHOD;

/// `amqp_login` is variadic; this fixes the SASL method to PLAIN.
amqp_rpc_reply_t CRabbitMQ_login(amqp_connection_state_t connection, const char *vhost,
                                 int channel_max, int frame_max, int heartbeat_seconds,
                                 const char *user, const char *password);

/// Table entries: the value is a C union, which these keep out of Swift.
amqp_table_entry_t CRabbitMQ_entry_utf8(amqp_bytes_t key, amqp_bytes_t value);
amqp_table_entry_t CRabbitMQ_entry_i64(amqp_bytes_t key, int64_t value);
amqp_table_entry_t CRabbitMQ_entry_bool(amqp_bytes_t key, int value);

/// Reads an entry back: 1 and the bytes when it holds a string, else 0.
int CRabbitMQ_entry_get_bytes(const amqp_table_entry_t *entry, amqp_bytes_t *out);
/// Reads an entry back: 1 and the value when it holds any integer kind, else 0.
int CRabbitMQ_entry_get_i64(const amqp_table_entry_t *entry, int64_t *out);
/// Reads an entry back: 1 and the value when it holds a boolean, else 0.
int CRabbitMQ_entry_get_bool(const amqp_table_entry_t *entry, int *out);
/// Reads an entry back: 1 and the array's first table when it holds an array of tables
/// (the shape of `x-death`), else 0.
int CRabbitMQ_entry_get_first_table(const amqp_table_entry_t *entry, amqp_table_t *out);

#endif
