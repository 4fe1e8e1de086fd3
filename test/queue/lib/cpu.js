'use strict';

const fs = require('node:fs');

/** Linux reports utime/stime in clock ticks; 100 per second on every mainstream kernel build. */
const TICKS_PER_SECOND = 100;

/**
 * CPU seconds used so far by every live process in a process group. Each child of
 * spawnManaged leads its own group, so this covers what it started too (n8n's task runner,
 * Postgres' backends, the emulator behind tsx). Linux only; elsewhere it reports 0.
 */
function groupCpuSeconds(pgid) {
	let ticks = 0;
	let entries = [];
	try {
		entries = fs.readdirSync('/proc');
	} catch {
		return 0;
	}
	for (const entry of entries) {
		if (!/^\d+$/.test(entry)) continue;
		let stat;
		try {
			stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
		} catch {
			continue;
		}
		// The command name may hold spaces and parentheses; the fields after the last ')' do not.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		if (Number(fields[2]) !== pgid) continue;
		ticks += Number(fields[11]) + Number(fields[12]);
	}
	return ticks / TICKS_PER_SECOND;
}

/** CPU seconds per named process group between start() and stop(). */
function cpuMeter(groups) {
	const read = () => Object.fromEntries(Object.entries(groups).map(([name, pid]) => [name, groupCpuSeconds(pid)]));
	let before;
	return {
		start() {
			before = read();
		},
		stop() {
			const after = read();
			return Object.fromEntries(Object.keys(groups).map((name) => [name, Math.max(0, after[name] - before[name])]));
		},
	};
}

module.exports = { groupCpuSeconds, cpuMeter };
