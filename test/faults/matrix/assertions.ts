/**
 * What every applicable cell must show: the error names the call, carries Alibaba's code,
 * RequestId and a hint; nothing secret anywhere in the run; no item lost or reordered; a
 * billed call sent at most once unless refused; the run finishes within its configured budget.
 */
import { EMULATOR_KEYS, type Emulator, type FaultMatch, type RecordedRequest } from '../../emulator';
import { emulatorCredentials } from '../../helpers/credentials';
import type { Cell } from './cells';
import type { Budget } from './faults';
import type { CellSettings, Outcome, OutputRow } from './nodes';

/** Engine start-up, signing and the emulator's own work, on a busy 2-core machine. */
export const SLACK_MS = 2000;

export class Checks {
	passed = 0;

	readonly failures: string[] = [];

	check(name: string, assertion: () => void): void {
		try {
			assertion();
			this.passed++;
		} catch (error) {
			this.failures.push(`${name}: ${(error as Error).message}`);
		}
	}
}

function fail(message: string): never {
	throw new Error(message);
}

function expectMatch(text: string, pattern: RegExp, what: string): void {
	if (!pattern.test(text)) fail(`${what} ${String(pattern)} not found in:\n${text}`);
}

function errorText(error: (Error & { description?: string | null }) | undefined): string {
	return error ? `${error.message}\n${error.description ?? ''}` : '';
}

/** A request as a fault's `match` sees it: path, decoded query and body. */
function requestText(request: RecordedRequest): string {
	const query = Object.entries(request.query)
		.map(([key, value]) => `${key}=${value}`)
		.join('&');
	return `${request.path}?${query}\n${request.body}`;
}

export function requestsMatching(emulator: Emulator, match: FaultMatch): RecordedRequest[] {
	return emulator.requests.filter(
		(request) =>
			(match.action === undefined || request.action === match.action) &&
			(match.pathIncludes === undefined || decodeURIComponent(request.path).includes(match.pathIncludes)) &&
			(match.requestIncludes === undefined || requestText(request).includes(match.requestIncludes)),
	);
}

/** Everything secret this run handled: keys, tokens, signatures the emulator saw, signed-URL query parts. */
function secretsOf(emulator: Emulator, settings: CellSettings): string[] {
	const values: string[] = [
		EMULATOR_KEYS.accessKeySecret,
		EMULATOR_KEYS.sts.accessKeySecret,
		EMULATOR_KEYS.sts.securityToken,
		EMULATOR_KEYS.expiredSts.accessKeySecret,
		EMULATOR_KEYS.expiredSts.securityToken,
		String(settings.credentials.alibabaCloudAccessKeyApi?.accessKeySecret ?? ''),
		'Signature=',
		'OSSAccessKeyId',
		'Expires=',
		'x-oss-signature',
	];
	for (const request of emulator.requests) {
		const authorization = request.headers.authorization;
		const signature = authorization ? /Signature=([0-9a-f]+)/i.exec(authorization)?.[1] : undefined;
		if (signature) values.push(signature);
		if (request.headers['x-acs-security-token']) values.push(request.headers['x-acs-security-token']);
		if (request.action === 'TongyiBeebotChat') {
			// /sse/paas4Json/{AccessToken}/{ChannelId}/{Sign}/{Timestamp}: the token and the sign are the credential.
			const [, , , accessToken, , sign] = request.path.split('/');
			values.push(decodeURIComponent(accessToken ?? ''), decodeURIComponent(sign ?? ''));
		}
	}
	return [...new Set(values.filter((value) => value.length >= 6))];
}

/** Errors keep message, description and stack out of JSON.stringify's reach; this puts them in. */
export function serialize(value: unknown): string {
	return JSON.stringify(value, (_key, inner: unknown) =>
		inner instanceof Error
			? { ...inner, name: inner.name, message: inner.message, stack: inner.stack, cause: (inner as { cause?: unknown }).cause }
			: inner,
	);
}

interface Expected {
	/** Output rows in input order (the trigger's: its calls, oldest first). */
	rows: OutputRow[];
	failing: number[];
}

export interface CellRun {
	cell: Cell;
	outcome: Outcome;
	emulator: Emulator;
	settings: CellSettings;
	budget: Budget;
}

function errorsToRead(run: CellRun, expected: Expected): string[] {
	const { cell, outcome } = run;
	if (outcome.runError) return [errorText(outcome.runError)];
	return expected.failing.map((index) => cell.column.rowError(expected.rows[index]?.json ?? {}) ?? '');
}

/** Runs every check a cell calls for; returns how many passed and what failed. */
export async function checkCell(run: CellRun): Promise<Checks> {
	const { cell, outcome, emulator, settings, budget } = run;
	const { row, column, call } = cell;
	const checks = new Checks();
	const middle = column.markers[1];
	const isPoll = column.id === 'call-trigger';
	const failing = call.scope === 'all' ? [0, 1, 2] : [1];
	const expected: Expected = { rows: outcome.rows, failing };

	if (isPoll && call.scope === 'all') {
		checks.check('the poll fails as a whole and stores nothing, so the next poll loses no call', () => {
			if (!outcome.runError) fail('the poll did not fail');
			if (outcome.rows.length !== 0) fail(`the failing poll emitted ${outcome.rows.length} item(s)`);
		});
		emulator.clearFaults();
		// A credential fault ends when the user fixes the credential; the stored credential is what the next poll reads.
		Object.assign(settings.credentials.alibabaCloudAccessKeyApi, emulatorCredentials(emulator.url, EMULATOR_KEYS).alibabaCloudAccessKeyApi);
		const later = await outcome.again!();
		checks.check('the next poll emits every call, oldest first', () => {
			const ids = later.map((r) => r.json.instanceId);
			if (JSON.stringify(ids) !== JSON.stringify(column.markers)) fail(`next poll emitted ${JSON.stringify(ids)}`);
			if (!later.every((r) => column.rowOk(r.json))) fail('a call of the next poll lacks its conversation');
		});
	} else {
		checks.check('no item lost or reordered; only the faulted item fails (continue on fail)', () => {
			if (outcome.runError) fail(`the node stopped: ${errorText(outcome.runError)}`);
			if (outcome.rows.length !== 3) fail(`${outcome.rows.length} output items for 3 inputs`);
			if (isPoll) {
				const ids = outcome.rows.map((r) => r.json.instanceId);
				if (JSON.stringify(ids) !== JSON.stringify(column.markers)) fail(`calls emitted as ${JSON.stringify(ids)}`);
			} else {
				const paired = outcome.rows.map((r) => r.paired);
				if (JSON.stringify(paired) !== '[0,1,2]') fail(`pairedItem ${JSON.stringify(paired)}`);
			}
			outcome.rows.forEach((r, index) => {
				const error = column.rowError(r.json);
				if (failing.includes(index)) {
					if (error === undefined) fail(`item ${index} should carry the error: ${serialize(r.json).slice(0, 400)}`);
				} else {
					if (error !== undefined) fail(`item ${index} failed although the fault was not its own: ${error}`);
					if (!column.rowOk(r.json)) fail(`item ${index} lacks its result: ${serialize(r.json).slice(0, 400)}`);
				}
			});
		});
	}

	const texts = errorsToRead(run, expected);
	checks.check('the error names the call', () => {
		for (const text of texts) expectMatch(text, call.operation(middle), 'call name');
	});
	checks.check("the error carries the code", () => {
		for (const text of texts) expectMatch(text, row.code, 'code');
	});
	checks.check('the error says what to do', () => {
		for (const text of texts) expectMatch(text, row.hint(call.delivery), 'hint');
	});
	if (row.requestId && !(column.id === 'chatbot' && cell.stage === 'stream')) {
		checks.check("the error carries the server's RequestId", () => {
			const match = call.scope === 'all' ? call.match('') : call.match(middle);
			const ids = requestsMatching(emulator, match)
				.filter((r) => r.requestId && r.status !== 0)
				.map((r) => r.requestId!);
			if (ids.length === 0) fail('the emulator recorded no answered request for the fault');
			// Each failing item (or attempt) met its own answer: its error must carry one of the ids the server sent.
			for (const text of texts) if (!ids.some((id) => text.includes(id))) fail(`none of ${ids.join(', ')} in:\n${text}`);
		});
	}

	checks.check('no secret or signed query anywhere in the run, its output or its errors', () => {
		const everything = serialize(outcome.everything) + serialize(outcome.rows) + serialize(outcome.runError);
		for (const secret of secretsOf(emulator, settings)) {
			if (everything.includes(secret)) fail(`found ${secret.slice(0, 8)}… in the execution data`);
		}
	});

	if (column.billedAction && call.delivery === 'billed') {
		checks.check('billed calls sent at most once unless the server refused them', () => {
			column.markers.forEach((marker, index) => {
				const sent = requestsMatching(emulator, { action: column.billedAction, requestIncludes: marker }).length;
				const met = failing.includes(index);
				const limit = met && row.refused ? (column.refusedAttempts ?? 1) : 1;
				if (sent > limit) fail(`item ${index}'s billed call was sent ${sent} times (at most ${limit})`);
				if (!met && sent !== 1) fail(`item ${index}'s billed call was sent ${sent} times (once expected)`);
			});
		});
	}

	checks.check('the node finishes within its configured Timeout / Download Deadline budget', () => {
		const bound = row.waitMs(budget) + SLACK_MS;
		if (outcome.tookMs > bound) fail(`took ${outcome.tookMs} ms, more than ${bound} ms`);
	});
	return checks;
}
