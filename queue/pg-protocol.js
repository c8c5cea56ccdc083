'use strict';
// The little of PostgreSQL's wire protocol (v3) that queue/db-latency-proxy.js reads to record
// what n8n's deduplication store does: message framing, a Bind's parameters, a DataRow's
// columns. It only reads; the proxy forwards the bytes as they came.

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

/** Splits a byte stream into PostgreSQL messages: (type, payload); the startup message has type ''. */
function messageReader(onMessage, { frontend }) {
	let buffer = Buffer.alloc(0);
	let startup = frontend;
	const reader = {
		/** Bytes to pass over before the next message (the server's one-byte answer to SSLRequest). */
		skip: 0,
		push(chunk) {
			buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
			for (;;) {
				if (reader.skip > 0) {
					const n = Math.min(reader.skip, buffer.length);
					buffer = buffer.subarray(n);
					reader.skip -= n;
					if (reader.skip > 0) return;
				}
				if (startup) {
					if (buffer.length < 8) return;
					const length = buffer.readInt32BE(0);
					if (buffer.length < length) return;
					const code = buffer.readInt32BE(4);
					const special = code === SSL_REQUEST || code === GSSENC_REQUEST;
					onMessage(special ? 'ssl' : '', buffer.subarray(4, length));
					buffer = buffer.subarray(length);
					if (!special) startup = false;
					continue;
				}
				if (buffer.length < 5) return;
				const length = buffer.readInt32BE(1);
				if (buffer.length < 1 + length) return;
				onMessage(String.fromCharCode(buffer[0]), buffer.subarray(5, 1 + length));
				buffer = buffer.subarray(1 + length);
			}
		},
	};
	return reader;
}

function cstring(payload, offset) {
	const end = payload.indexOf(0, offset);
	return { text: payload.toString('utf8', offset, end), next: end + 1 };
}

/** A Bind message's parameters as text (null for NULL). */
function bindParameters(payload) {
	let { next } = cstring(payload, 0); // portal
	const statement = cstring(payload, next);
	next = statement.next;
	const formats = payload.readInt16BE(next);
	next += 2 + 2 * formats;
	const count = payload.readInt16BE(next);
	next += 2;
	const params = [];
	for (let i = 0; i < count; i++) {
		const length = payload.readInt32BE(next);
		next += 4;
		if (length < 0) params.push(null);
		else {
			params.push(payload.toString('utf8', next, next + length));
			next += length;
		}
	}
	return { statement: statement.text, params };
}

/** A DataRow's columns as text. */
function dataRow(payload) {
	const count = payload.readInt16BE(0);
	let next = 2;
	const columns = [];
	for (let i = 0; i < count; i++) {
		const length = payload.readInt32BE(next);
		next += 4;
		if (length < 0) columns.push(null);
		else {
			columns.push(payload.toString('utf8', next, next + length));
			next += length;
		}
	}
	return columns;
}

/** The hash list inside a processed_data value (JSON text), or null. */
function hashList(text) {
	if (typeof text !== 'string' || !text.startsWith('{')) return null;
	try {
		const value = JSON.parse(text);
		return Array.isArray(value?.data) ? value.data.map(String) : null;
	} catch {
		return null;
	}
}

module.exports = { messageReader, cstring, bindParameters, dataRow, hashList };
