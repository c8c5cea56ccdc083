import {
	NodeApiError,
	NodeOperationError,
	type IDataObject,
	type INode,
	type JsonObject,
} from 'n8n-workflow';

import type { Failure, FailureKind } from './outcomes';

/**
 * How an item that ends without an order reaches n8n: the error that stops the node, or the
 * error item of Continue On Fail. Both are built from plain data, and the key is hidden in
 * every text.
 */

/** An item that ends without an order: refused by a rule or guard, or by n8n itself. */
export type Refusal = { kind: 'failed'; failure: Failure } | { kind: 'thrown'; error: Error };

/** The n8n error for an item that ends without an order. */
export function nodeError(
	node: INode,
	fate: Refusal,
	itemIndex: number,
	hideKey: (text: string) => string,
	forTheModel: Record<FailureKind, string> | undefined,
): NodeOperationError | NodeApiError {
	// As a tool, the model reads one text: the finding as a sentence, then what it may do next.
	const told = (text: string, kind: FailureKind) =>
		forTheModel ? `${text.replace(/[.!?]?$/, '.')} ${forTheModel[kind]}` : text;
	if (fate.kind === 'thrown') {
		const thrown = fate.error as Error & { description?: string | null };
		const error = new NodeOperationError(node, thrown, {
			itemIndex,
			description: `${thrown.description ?? 'Fix the parameter or expression for this item.'} Nothing was sent to StatProxies.`,
		});
		error.message = `${told(hideKey(thrown.message), 'invalid')} [item ${itemIndex}]`;
		return error;
	}
	const { failure } = fate;
	const message = `${told(hideKey(failure.message), failure.kind)} [item ${itemIndex}]`;
	const description = hideKey(failure.description);
	if (failure.kind === 'invalid') {
		return new NodeOperationError(node, message, { description, itemIndex });
	}
	// Built from plain data, never from the error the HTTP stack threw: that one carries the
	// request options, Authorization header included, into the stored execution.
	const data: JsonObject = { message, description, outcome: failure.kind };
	const error = new NodeApiError(node, data, {
		message,
		description,
		httpCode: failure.httpCode,
		itemIndex,
	});
	// NodeApiError swaps a message that mentions a socket error code (ECONNRESET...) for a
	// generic one, which for an unknown outcome even invites an immediate retry.
	error.message = message;
	return error;
}

/**
 * The JSON of an error item: everything under `error`, as n8n's HTTP Request node does. n8n
 * 1.x sends an item to the error output only when its JSON has no key but `error` (and
 * `message`); 2.x also allows `details`. One key routes alike on both.
 */
export function errorJson(found: {
	message: string;
	description: string;
	outcome: string;
	item: number;
	field?: string;
	httpCode?: string;
}): IDataObject {
	const { message, description, outcome, item, field, httpCode } = found;
	const error: IDataObject = { message, description, outcome, item };
	if (field) error.field = field;
	if (httpCode) error.http_code = httpCode;
	return { error };
}

export function errorItem(
	error: Error & { description?: string | null },
	fate: Refusal,
	itemIndex: number,
): IDataObject {
	const failure = fate.kind === 'failed' ? fate.failure : undefined;
	return errorJson({
		message: error.message,
		description: error.description ?? '',
		outcome: failure?.kind ?? 'invalid',
		item: itemIndex,
		field: failure?.field,
		httpCode: failure?.httpCode,
	});
}

/**
 * Hides the key in every form an answer or a message could carry it: as sent, JSON-escaped
 * (a `/` as `\/`, PHP's default; control and non-ASCII characters as \u escapes),
 * URL-encoded (either case), base64 (the key, or the whole Authorization header). Longest
 * forms first, so that no form is left half hidden.
 */
export function keyRedactor(apiKey: string | undefined) {
	const key = typeof apiKey === 'string' ? apiKey.trim() : '';
	// A very short "key" would blank out ordinary words; such a key is refused by StatProxies anyway.
	if (key.length < 8) return (text: string) => text;
	const json = JSON.stringify(key).slice(1, -1);
	// Every character a JSON encoder may escape as \uXXXX, in either case of hex digits.
	const escaped = (upper: boolean) =>
		key.replace(/[^\x20-\x7e]|[/"\\]/g, (c) => {
			if (c === '"' || c === '\\') return `\\${c}`;
			const hex = c.charCodeAt(0).toString(16).padStart(4, '0');
			return `\\u${upper ? hex.toUpperCase() : hex}`;
		});
	const url = encodeURIComponent(key);
	const base64 = (text: string) => Buffer.from(text).toString('base64');
	const forms = [
		...new Set([
			key,
			json,
			json.replace(/\//g, '\\/'),
			escaped(false),
			escaped(true),
			url,
			// Percent-escapes in lower case, as many encoders write them.
			url.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
			// A gateway that echoes the header, or the key, base64-encoded.
			base64(key),
			base64(`Bearer ${key}`),
		]),
	].sort((a, b) => b.length - a.length);
	return (text: string) => forms.reduce((hidden, form) => hidden.split(form).join('***'), text);
}
