/**
 * The fault matrix of issue 13: every fault the emulator can inject, against every node it can
 * reach, run in n8n's engine. Each cell's checks are in matrix/assertions.ts; the table printed
 * at the end shows ✓ / ✗ / n/a per cell and how many checks passed.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { streamTokenCache } from '../../nodes/AlibabaChatbotChat/transport/streamAccessToken';
import { DEFAULT_RETRY_POLICY } from '../../nodes/shared/transport';
import { EMULATOR_KEYS, type Emulator, FIXTURES, startEmulator } from '../emulator';
import { gzipBomb } from '../emulator/wire-faults';
import { emulatorCredentials } from '../helpers/credentials';
import { type Cell, isCell, MATRIX } from './matrix/cells';
import { checkCell } from './matrix/assertions';
import { FAULT_ROWS, type FaultRow } from './matrix/faults';
import { COLUMNS } from './matrix/nodes';
import { type CellResult, renderTable } from './matrix/table';

const TIMEOUT_S = 0.5;
const DEADLINE_S = 1.5;

const key = (rowId: string, columnId: string) => `${rowId}|${columnId}`;
const results = new Map<string, CellResult>();
let emulator: Emulator;

/**
 * Backoff between retries shrunk for the matrix: which calls are retried, and how often, is
 * the policy under test; how long the jitter sleeps is not (policy.test.ts covers Retry-After).
 */
const backoff = { baseDelayMs: DEFAULT_RETRY_POLICY.baseDelayMs, maxDelayMs: DEFAULT_RETRY_POLICY.maxDelayMs };

beforeAll(async () => {
	emulator = await startEmulator({ port: 0 });
	Object.assign(DEFAULT_RETRY_POLICY, { baseDelayMs: 5, maxDelayMs: 20 });
	// Built in the test's own process: compressing it inside a timed cell would stall every download there.
	gzipBomb();
});

afterAll(async () => {
	Object.assign(DEFAULT_RETRY_POLICY, backoff);
	await emulator.close();
	process.stdout.write(renderTable(FAULT_ROWS, COLUMNS, MATRIX, results, key));
});

beforeEach(() => {
	emulator.reset();
	streamTokenCache.clear();
});

function credentialsFor(row: FaultRow): Record<string, ICredentialDataDecryptedObject> {
	if (row.credential === 'wrongSecret') {
		return emulatorCredentials(emulator.url, { ...EMULATOR_KEYS, accessKeySecret: 'WrongSecret0123456789abcdefXYZ' });
	}
	if (row.credential === 'expiredSts') return emulatorCredentials(emulator.url, EMULATOR_KEYS.expiredSts);
	if (row.credential === 'refused') return emulatorCredentials(FIXTURES.ice.plainHttpLogOrigin, EMULATOR_KEYS);
	return emulatorCredentials(emulator.url, EMULATOR_KEYS);
}

const cells = MATRIX.filter(isCell);

// A column with no applicable cell (the ICE Agent Trigger sends no call) appears in the table only.
const runnable = COLUMNS.filter((column) => cells.some((cell) => cell.column.id === column.id));

describe.each(runnable.map((column) => [column.label, column.id] as const))('%s', (_label, columnId) => {
	const columnCells = cells.filter((cell) => cell.column.id === columnId);
	it.each(columnCells.map((cell) => [cell.row.label, cell] as const))('%s', async (_name, cell: Cell) => {
		const { row, column, stage, call } = cell;
		const settings = { timeoutS: TIMEOUT_S, deadlineS: DEADLINE_S, credentials: credentialsFor(row), stage };
		if (row.fault) {
			const marker = call.scope === 'all' ? '' : column.markers[1];
			emulator.addFault(row.fault(stage, call.match(marker)));
		}
		const outcome = await column.run(emulator, settings);
		const checks = await checkCell({
			cell,
			outcome,
			emulator,
			settings,
			budget: {
				timeoutMs: TIMEOUT_S * 1000,
				deadlineMs: DEADLINE_S * 1000,
				attempts: call.attempts,
				columnWaitMs: column.columnWaitMs ?? 0,
			},
		});
		results.set(key(row.id, column.id), {
			passed: checks.failures.length === 0,
			checks: checks.passed,
			failedChecks: checks.failures,
		});
		// The emulator may still be answering a request the node gave up on; let it finish first.
		await emulator.close().catch(() => undefined);
		emulator = await startEmulator({ port: 0 });
		expect(checks.failures).toEqual([]);
	});
});
