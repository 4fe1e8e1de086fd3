import { cpus, loadavg, totalmem } from 'node:os';

export type Verdict = 'PASS' | 'FAIL' | '';

/** One line of the results table. */
export interface Row {
	bench: string;
	measure: string;
	result: string;
	target?: string;
	verdict?: Verdict;
}

/** What one bench hands back: table rows plus the raw numbers for `--json`. */
export interface BenchResult {
	name: string;
	rows: Row[];
	data: Record<string, unknown>;
	notes?: string[];
}

export interface MachineInfo {
	node: string;
	platform: string;
	cpu: string;
	cores: number;
	memoryGiB: number;
	/** 1-minute load average when the bench started: other work on the machine skews wall times. */
	loadAverage: number;
}

export function machineInfo(): MachineInfo {
	const list = cpus();
	return {
		node: process.version,
		platform: `${process.platform}-${process.arch}`,
		cpu: list[0]?.model.trim() ?? 'unknown',
		cores: list.length,
		memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
		loadAverage: Math.round(loadavg()[0] * 100) / 100,
	};
}

export function ms(value: number): string {
	return value >= 100 ? `${Math.round(value)} ms` : `${value.toFixed(1)} ms`;
}

export function mib(bytes: number): string {
	return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export function ratio(value: number): string {
	return `${value.toFixed(2)}×`;
}

export function perSecond(value: number): string {
	return `${Math.round(value).toLocaleString('en-US')}/s`;
}

function escapeCell(text: string): string {
	return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function markdownTable(rows: Row[]): string {
	const header = ['Bench', 'Measure', 'Result', 'Target', ''];
	const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
	let lastBench = '';
	for (const row of rows) {
		const bench = row.bench === lastBench ? '' : row.bench;
		lastBench = row.bench;
		const cells = [bench, row.measure, row.result, row.target ?? '', row.verdict ?? ''];
		lines.push(`| ${cells.map(escapeCell).join(' | ')} |`);
	}
	return lines.join('\n');
}

export function machineLine(info: MachineInfo, settings: string): string {
	return `Machine: ${info.cpu}, ${info.cores} cores, ${info.memoryGiB} GiB, Node ${info.node} (${info.platform}), load average ${info.loadAverage} at start; ${settings}.`;
}
