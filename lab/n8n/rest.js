'use strict';
// The editor's own REST API (/rest/...), used for what only a running n8n does: the owner
// account, the credential test, manual runs from the editor, stored executions.
const { poll } = require('./executions');

/** Test owner for local, throwaway instances only. */
const DEFAULT_OWNER = {
	email: 'owner@lab.local',
	password: 'Lab-owner-1',
	firstName: 'Lab',
	lastName: 'Owner',
};

/** A logged-in session: `request(method, path, body)` resolves the `data` of n8n's answer. */
function session(url, cookie) {
	async function request(method, path, body) {
		const res = await fetch(url + path, {
			method,
			headers: {
				'content-type': 'application/json',
				// 2.x ties the auth cookie to a browser id sent with every request.
				'browser-id': 'n8n-lab',
				...(cookie ? { cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		let json;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		if (!res.ok) {
			const error = new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 500)}`);
			error.status = res.status;
			throw error;
		}
		return { data: json && 'data' in json ? json.data : json, headers: res.headers };
	}
	return {
		url,
		request,
		get: (path) => request('GET', path),
		post: (path, body) => request('POST', path, body ?? {}),
	};
}

/** Creates the instance owner (skipping the setup screen) and returns a logged-in session. */
async function setupOwnerAndLogin(url, owner = DEFAULT_OWNER) {
	const anonymous = session(url);
	await anonymous.post('/rest/owner/setup', owner);
	return login(url, owner);
}

async function login(url, owner = DEFAULT_OWNER) {
	const { headers } = await session(url).post('/rest/login', {
		emailOrLdapLoginId: owner.email,
		password: owner.password,
	});
	const cookie = headers
		.getSetCookie()
		.map((c) => c.split(';')[0])
		.join('; ');
	if (!cookie) throw new Error('n8n answered the login without a cookie');
	return session(url, cookie);
}

/**
 * n8n's own credential test, as the credential dialog's "Retry"/"Save" runs it.
 * @returns {Promise<{ status: 'OK' | 'Error', message: string }>}
 */
async function testCredential(rest, credential) {
	const { data } = await rest.post('/rest/credentials/test', { credentials: credential });
	return data;
}

/**
 * Runs a saved workflow as the editor's "Execute workflow" button does, from one trigger.
 * n8n 1.x runs the workflow sent in the body (as its editor does); 2.x loads it from the
 * database and ignores it.
 */
async function runManually(rest, workflowId, triggerName) {
	const { data: workflowData } = await rest.get(`/rest/workflows/${workflowId}`);
	const { data } = await rest.post(`/rest/workflows/${workflowId}/run`, {
		workflowData,
		triggerToStartFrom: { name: triggerName },
	});
	if (!data || !data.executionId) {
		throw new Error(`n8n did not start the workflow: ${JSON.stringify(data)}`);
	}
	return data.executionId;
}

/** Polls a stored execution until it has finished; resolves its summary from the REST API. */
async function waitForExecution(rest, executionId, { timeoutMs = 60000 } = {}) {
	const { data } = await poll(
		async () => {
			const { data } = await rest.get(`/rest/executions/${executionId}`);
			// n8n 1.x reports the final status a moment before it stores the run data ("[]").
			const done =
				Boolean(data) && !['new', 'running', 'waiting'].includes(data.status) && data.data !== '[]';
			return { done, data, summary: data && data.status };
		},
		{ timeoutMs, intervalMs: 300, what: `execution ${executionId}` },
	);
	return data;
}

module.exports = {
	DEFAULT_OWNER,
	session,
	setupOwnerAndLogin,
	login,
	testCredential,
	runManually,
	waitForExecution,
};
