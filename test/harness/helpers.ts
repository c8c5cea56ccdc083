import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { NODE_NAME, type NodeSettings, type StatProxiesCredential, type WorkflowRun } from './n8n';
import type { Sandbox } from './sandbox';

/** Shared vocabulary of the test suites: what a sandbox is, how items are told apart, how a leak is found. */

export function sandboxCredential(sandbox: Sandbox): StatProxiesCredential {
	return { apiKey: sandbox.keys.full, baseUrl: sandbox.url };
}

/**
 * Retry On Fail at n8n's maximum. The wait is 1 ms, not 0: n8n reads the wait as
 * `waitBetweenTries || 1000`, so 0 means "unset" and every retry would sleep a full second.
 */
export const RETRY_AT_MAX: NodeSettings = { retryOnFail: true, maxTries: 5, waitBetweenTries: 1 };

export const CONTINUE: NodeSettings = { onError: 'continueRegularOutput' };
export const ERROR_OUTPUT: NodeSettings = { onError: 'continueErrorOutput' };

/** Distinct customers (lowercase a-z, as StatProxies requires) so that every request and order names its item. */
export const CUSTOMERS = ['itema', 'itemb', 'itemc', 'itemd', 'iteme', 'itemf', 'itemg', 'itemh'];

export function customerItems(count: number): IDataObject[] {
	return CUSTOMERS.slice(0, count).map((customer) => ({ customer }));
}

/** One proxy of the cheapest documented type per item, for the customer the item names. */
export const ORDER_PER_CUSTOMER: INodeParameters = {
	quantity: 1,
	productType: 'captcha',
	additionalFields: { customer: '={{ $json.customer }}' },
};

/** The customer of every Create Order request the sandbox received, in arrival order. */
export function sentCustomers(sandbox: Sandbox): unknown[] {
	return sandbox.orderRequests.map((request) => request.json?.customer);
}

/** The customer of every order the sandbox sold (billed), including those whose answer was lost. */
export function boughtCustomers(sandbox: Sandbox): unknown[] {
	return sandbox.orders.map((order) => order.customer);
}

export function timesIn(list: unknown[], value: unknown): number {
	return list.filter((entry) => entry === value).length;
}

/** What an error item says: its `error` object (message, description, outcome, item, field, http_code). */
export function errorOf(item: INodeExecutionData): IDataObject {
	const { error } = item.json;
	return (error && typeof error === 'object' ? error : {}) as IDataObject;
}

/** The items of one output of Order Proxies' last run, as n8n stored them (0 = success, 1 = error output). */
export function nodeOutput(result: WorkflowRun, outputIndex: number): INodeExecutionData[] {
	const runs = result.run.data.resultData.runData[NODE_NAME];
	return runs?.[runs.length - 1]?.data?.main?.[outputIndex] ?? [];
}

/** Every way an execution, an error or an output could be written down: logs, the database, the UI. */
export function serializedForms(value: unknown): string[] {
	if (value === undefined || value === null) return [];
	const forms = [JSON.stringify(value) ?? ''];
	if (typeof value === 'object') {
		const object = value as { toJSON?: () => unknown; stack?: unknown; cause?: unknown };
		forms.push(JSON.stringify({ ...object }) ?? '');
		if (typeof object.toJSON === 'function') forms.push(JSON.stringify(object.toJSON()) ?? '');
		if (typeof object.stack === 'string') forms.push(object.stack);
		if (object.cause !== undefined) forms.push(...serializedForms(object.cause));
	}
	if (value instanceof Error) forms.push(String(value), value.message);
	return forms;
}

export function occurrences(text: string, secret: string): number {
	return text.split(secret).length - 1;
}

/** Asserts that `secret` occurs nowhere in the whole run: run data, errors, outputs. */
export function expectNoSecret(result: WorkflowRun, secret: string): void {
	expect(secret.length).toBeGreaterThanOrEqual(8);
	const forms = [
		...serializedForms(result.run),
		...serializedForms(result.error),
		...serializedForms(result.output),
		...serializedForms(result.succeeded),
		...serializedForms(result.failed),
	];
	expect(forms.length).toBeGreaterThan(0);
	expect(occurrences(forms.join('\n'), secret)).toBe(0);
}
