/**
 * Every outcome message of both nodes, in one place, worded for each node by its `Words`
 * (validation messages live with their rules, in each node's schema). A message must stand
 * alone: AI agents, Slack alerts, the executions list and {{ $json.error.message }} see the
 * message and never the description, so whether anything may have been bought or changed is
 * said in the message itself.
 */

/** Why an item ended without success; `over_budget` and `duplicate` were never sent. */
export type FailureKind =
	| 'invalid'
	| 'refused'
	| 'not_sent'
	| 'unknown'
	| 'over_budget'
	| 'duplicate';

export interface Failure {
	kind: FailureKind;
	message: string;
	description: string;
	httpCode?: string;
	field?: string;
}

/** How a node's messages name what it does. Order Proxies' words give the order texts. */
export interface Words {
	/** "order", "exchange": the request, as in "the order", "refused the order". */
	thing: string;
	/** "while placing the order" */
	during: string;
	/** "a confirmed order" */
	confirmed: string;
	/** What an unknown outcome means, after the colon of its message. */
	mayExist: string;
	/** An unknown outcome's description: what to check before running again. */
	checkDashboard: string;
	/** "StatProxies did not create this order." */
	notDone: string;
	/** "nothing was bought" */
	nothingDone: string;
	/** "ordered", "exchanged": "so nothing was ordered" */
	done: string;
	/** "bought", "exchanged": "the failed execution already bought" */
	bought: string;
	/** "an identical order", "an exchange of the same order" */
	identical: string;
	/** "may already have been bought", "may already have gone through" */
	mayAlready: string;
	/** "ordering", "exchanging" */
	doing: string;
	/** "orders", "exchanges": "Each order key orders once." */
	acts: string;
	/** "create orders": "Check that the key may create orders." */
	mayDo: string;
	/** "order less often" */
	lessOften: string;
	/** "whether it was placed" */
	whetherDone: string;
	/** The options that name the key, the budget and the Retry button switch. */
	keyOption: string;
	retriesOption: string;
	/** "the orders it placed" (the failed execution's error lists them) */
	listed: string;
	/** "buy those items twice" */
	twice: string;
	/** insufficient_permissions: what the key may not do, and how to fix it. */
	noPermission: { message: string; fix: string };
	/** Over Max ... Per Execution: the message after "Not ordered: ", and its description. */
	overBudget: (
		cost: number,
		left: number,
		budget: number,
	) => { message: string; description: string };
	/** Retry On Fail replayed an item whose parameters changed since. */
	changed: (was: string, now: string | undefined) => string;
	/** The beginning of every "nothing was sent" message: "Not ordered". */
	not: string;
	/** What the model may do next, per outcome. */
	forTheModel: Record<FailureKind, string>;
	/** The end of a stopped run's description: what it already did. */
	soFar: (done: { item: number; id: string }[]) => string;
	/** "Nothing was ordered in this run, so it is safe to fix this and run again." */
	nothingSoFar: string;
	/** What the execution had done before this run (other runs, sub-workflows), in its budget's unit. */
	doneBefore: (spent: number) => string;
	/** A log line for a result: "ordered sub_..." */
	logDone: (id: string) => string;
	/** A tool's answer for a request identical to one done earlier in the execution. */
	already: (id: string) => string;
}

const NOTHING_SENT = 'Nothing was sent to StatProxies.';

const CHECK_BASE_URL =
	'Check the Base URL in the StatProxies API credential (it should be https://dashboard.statproxies.com).';

/** What StatProxies' answers and the network's failures mean, in a node's words. */
export function outcomesFor(w: Words) {
	const unknown = (what: string, httpCode?: string, more = ''): Failure => ({
		kind: 'unknown',
		message: `${what}: ${w.mayExist}`,
		description: `${w.checkDashboard}${more}`,
		httpCode,
	});
	const refused = (message: string, fix: string, httpCode?: string): Failure => ({
		kind: 'refused',
		message,
		description: `${fix} ${w.notDone}`,
		httpCode,
	});
	const notSent = (
		message: string,
		description: string,
		kind: FailureKind = 'not_sent',
	): Failure => ({
		kind,
		message: `${w.not}: ${message}`,
		description: `${description} ${NOTHING_SENT}`,
	});

	const said = {
		refused,
		unknown,
		noConfirmation: (status: number, got: string) =>
			unknown(
				`StatProxies answered HTTP ${status} without ${w.confirmed} (got: ${got})`,
				String(status),
			),
		contradiction: (status: number, got: string) =>
			unknown(
				`StatProxies answered HTTP ${status} with an answer that confirms the ${w.thing} (got: ${got})`,
				String(status),
			),
		serverError: (status: number, got: string) =>
			unknown(`StatProxies failed with HTTP ${status} ${w.during} (got: ${got})`, String(status)),
		// 303 is how a server answers a POST it has processed: the request most likely took effect.
		seeOther: () =>
			unknown(
				`StatProxies answered HTTP 303 See Other, its usual answer to an ${w.thing} it has processed`,
				'303',
				' The redirect was not followed, so that the key never goes to another address.',
			),
		ambiguousRedirect: (status: number) =>
			unknown(
				`StatProxies answered the ${w.thing} with a redirect (HTTP ${status}), which does not say whether it was processed`,
				String(status),
				` The redirect was not followed, so that the key never goes to another address. ${CHECK_BASE_URL}`,
			),
		// 307 and 308 ask for the same request at another address: this one was not processed.
		repeatElsewhere: (status: number) =>
			refused(
				`StatProxies asked for the ${w.thing} to be sent to another address (HTTP ${status}); the node does not follow redirects, so ${w.nothingDone}`,
				`${CHECK_BASE_URL} The node never sends the key to an address it was redirected to.`,
				String(status),
			),
		invalidKey: (status: number) =>
			refused(
				'StatProxies rejected the API key (invalid_api_key)',
				'Check the API key in the StatProxies API credential: it may be mistyped, revoked or expired.',
				String(status),
			),
		noPermission: (status: number) =>
			refused(w.noPermission.message, w.noPermission.fix, String(status)),
		rateLimited: () =>
			refused(
				'StatProxies is limiting requests (HTTP 429 Too Many Requests)',
				`Wait a little and run again, or make the workflow ${w.lessOften}.`,
				'429',
			),
		clientError: (status: number, got: string) =>
			refused(
				`StatProxies refused the ${w.thing} with HTTP ${status} (got: ${got})`,
				`${CHECK_BASE_URL} Check that the key may ${w.mayDo}.`,
				String(status),
			),
		notReached: (code: string): Failure => ({
			kind: 'not_sent',
			message: `Could not reach StatProxies (${code})`,
			description: `The request did not reach StatProxies, so nothing was ${w.done}. ${CHECK_BASE_URL} Check this machine's network, then run again.`,
		}),
		notStarted: (why: string): Failure => ({
			kind: 'not_sent',
			message: `The ${w.thing} was not sent: ${why}`,
			description: `n8n stopped before the request left this machine. ${NOTHING_SENT}`,
		}),
		timeout: () =>
			unknown(
				`StatProxies did not answer within the timeout ${w.during}`,
				undefined,
				' To wait longer next time, raise Options > Timeout (Milliseconds).',
			),
		// n8n's Stop aborts the request in flight: it may have reached StatProxies already.
		stoppedInFlight: () =>
			unknown(
				`The execution was stopped while the ${w.thing} was on its way to StatProxies`,
				'ERR_CANCELED',
			),
		connectionLost: (code: string | undefined) =>
			unknown(`The connection to StatProxies failed ${w.during} (${code ?? 'no error code'})`),
	};

	/** The node's own refusals and notes, decided before or instead of a request. */
	const guard = {
		notSent,
		retriedExecution: (parent: boolean) =>
			notSent(
				parent
					? "this runs in a sub-workflow of an execution that n8n's Retry button started"
					: "this execution is a retry of a failed one (n8n's Retry button)",
				`The node cannot see what the failed execution already ${w.bought}, so ${w.doing} again could ${w.twice}. Read the failed execution's error (it lists ${w.listed}) and check your StatProxies dashboard. Then run the workflow from its trigger with only the items still needed, or turn on Options > ${w.retriesOption}.`,
			),
		earlierTryUnknown: (failure: Failure): Failure => ({
			...failure,
			description: `An earlier try of this run already sent this ${w.thing} and could not tell ${w.whetherDone}, so it was not sent again. ${failure.description}`,
		}),
		parametersChanged: w.changed,
		overBudget: (cost: number, left: number, budget: number) => {
			const { message, description } = w.overBudget(cost, left, budget);
			return notSent(message, description, 'over_budget');
		},
		// This call sent nothing, but what it asks for may already exist: it routes like an
		// unknown outcome (to a person), and says both, without contradicting itself.
		repeatAfterUnknown: (): Failure => ({
			kind: 'unknown',
			message: `${w.not}: ${w.identical} earlier in this execution ended with an unknown outcome and ${w.mayAlready}, so this one was not sent`,
			description: `This request sent nothing. The earlier one ${w.mayAlready}: check the StatProxies dashboard. To ${w.thing} the same thing again on purpose, run a new execution (with a new ${w.keyOption.toLowerCase()}, when Options > ${w.keyOption} is set).`,
		}),
		duplicateKey: (key: string, where: 'run' | 'execution' | 'before') =>
			notSent(
				where === 'run'
					? `${w.keyOption.toLowerCase()} "${key}" is used by an earlier item of this run`
					: where === 'execution'
						? `${w.keyOption.toLowerCase()} "${key}" was already used earlier in this execution`
						: `${w.keyOption.toLowerCase()} "${key}" was already used by an earlier execution`,
				`Each ${w.keyOption.toLowerCase()} ${w.acts} once. To ${w.thing} anyway, give this ${w.thing} another key (Options > ${w.keyOption}).`,
				'duplicate',
			),
		credentialUnreadable: (why: string) => ({
			message: `${w.not}: the StatProxies credential could not be read (${why})`,
			description:
				'Select a StatProxies API credential on the node, or check that it still exists and that its fields resolve.',
		}),
		keyStoreMissing: () =>
			notSent(
				`Options > ${w.keyOption} needs n8n's deduplication store, which this n8n does not offer to nodes (n8n 1.64 or later has it)`,
				`Update n8n, or remove Options > ${w.keyOption} to ${w.thing} without the at-most-once guarantee.`,
			),
		/** The key could not be given back for sure after a request that did nothing. */
		keyMayBeHeld: () =>
			`the ${w.keyOption.toLowerCase()} may still be held: use a new key to ${w.thing} now`,
		keySlow: (took: number, held: boolean) =>
			notSent(
				`n8n's deduplication store took ${took} ms for one call, too slow to make the ${w.keyOption.toLowerCase()} certain${held ? `; the ${w.keyOption.toLowerCase()} may still be held: use a new key to ${w.thing} now` : ''}`,
				`The ${w.keyOption} guarantee rests on every call to n8n's database finishing well within a second; this one did not. Check n8n's database (its load, its network), then run again${held ? ` with a new ${w.keyOption.toLowerCase()}` : ''}.`,
			),
		keyUncertain: (why: string) =>
			notSent(
				`the ${w.keyOption.toLowerCase()} could not be confirmed in n8n's deduplication store (${why}); the ${w.keyOption.toLowerCase()} may still be held: use a new key to ${w.thing} now`,
				`The store failed in the middle of recording the key, so the node cannot tell whether this run holds it. Check n8n's database, then run again with a new ${w.keyOption.toLowerCase()}.`,
			),
		keyStoreFailed: (why: string) =>
			notSent(
				`the ${w.keyOption.toLowerCase()} could not be recorded in n8n's deduplication store (${why})`,
				`The node ${w.acts} only once it has recorded the key. Check n8n's database and run again.`,
			),
	};

	/**
	 * What a run that stops has done so far, in the words its error description ends with:
	 * its results, and the items an earlier try of the run left unknown (Retry On Fail
	 * replays them: they may have gone through).
	 */
	const runSoFar = (
		done: { item: number; id: string }[],
		unknown: number[],
		stoppedOnUnknown: boolean,
		spentBefore: number,
	) => {
		const parts = [
			done.length ? w.soFar(done) : '',
			unknown.length
				? `${unknown.length === 1 ? 'Item' : 'Items'} ${unknown.join(', ')} ${w.mayAlready} (outcome unknown): ${w.checkDashboard}`
				: '',
			// "Safe to run again" would be false: a run again repeats what the execution did before.
			spentBefore > 0 ? w.doneBefore(spentBefore) : '',
		].filter(Boolean);
		if (parts.length > 0) return parts.join(' ');
		return stoppedOnUnknown ? '' : w.nothingSoFar;
	};

	return { said, guard, runSoFar, forTheModel: w.forTheModel };
}

export type Outcomes = ReturnType<typeof outcomesFor>;
export type Said = Outcomes['said'];
