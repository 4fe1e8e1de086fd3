/** The printed matrix: faults down, nodes across, ✓ / ✗ / n/a, with counts. */
import { type Cell, isCell, type NotApplicable } from './cells';
import type { Column } from './nodes';
import type { FaultRow } from './faults';

export interface CellResult {
	passed: boolean;
	checks: number;
	failedChecks: string[];
}

const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - [...text].length));

export function renderTable(
	rows: readonly FaultRow[],
	columns: readonly Column[],
	matrix: ReadonlyArray<Cell | NotApplicable>,
	results: ReadonlyMap<string, CellResult>,
	key: (rowId: string, columnId: string) => string,
): string {
	const labelWidth = Math.max(...rows.map((row) => row.label.length)) + 1;
	const width = Math.max(...columns.map((column) => column.id.length)) + 1;
	const lines = [
		`${pad('fault \\ node', labelWidth)}${columns.map((column) => pad(column.id, width)).join('')}`,
	];
	let cells = 0;
	let passed = 0;
	let failed = 0;
	let notRun = 0;
	let notApplicable = 0;
	let checks = 0;
	for (const row of rows) {
		const marks = columns.map((column) => {
			const entry = matrix.find((e) => e.row.id === row.id && e.column.id === column.id)!;
			if (!isCell(entry)) {
				notApplicable++;
				return 'n/a';
			}
			cells++;
			const result = results.get(key(row.id, column.id));
			if (!result) {
				notRun++;
				return '·';
			}
			checks += result.checks;
			if (result.passed) passed++;
			else failed++;
			return result.passed ? '✓' : '✗';
		});
		lines.push(`${pad(row.label, labelWidth)}${marks.map((mark) => pad(mark, width)).join('')}`);
	}
	lines.push('');
	lines.push(columns.map((column) => `${column.id} = ${column.label}`).join('; '));
	lines.push(
		`cells: ${cells} (✓ ${passed}, ✗ ${failed}${notRun ? `, not run ${notRun}` : ''}), n/a: ${notApplicable}, checks passed: ${checks}`,
	);
	// One line per column and reason, naming the faults it covers.
	const reasons = new Map<string, string[]>();
	for (const entry of matrix.filter((e): e is NotApplicable => !isCell(e))) {
		const label = `${entry.column.id}: ${entry.reason}`;
		reasons.set(label, [...(reasons.get(label) ?? []), entry.row.id]);
	}
	lines.push('n/a:');
	for (const [label, rowIds] of reasons) {
		lines.push(`  ${label} (${rowIds.length === rows.length ? 'every fault' : rowIds.join(', ')})`);
	}
	return `\nFault matrix (test/faults/matrix.test.ts)\n${lines.join('\n')}\n`;
}
