/** Which fault meets which node where: every (row, column) pair is a cell or n/a with its reason. */
import { type Column, COLUMNS, type StageCall } from './nodes';
import { FAULT_ROWS, type FaultRow, type Stage } from './faults';

export interface Cell {
	row: FaultRow;
	column: Column;
	stage: Stage;
	call: StageCall;
}

export interface NotApplicable {
	row: FaultRow;
	column: Column;
	reason: string;
}

/** Why a row finds none of its stages in a column, said per stage. */
const MISSING_STAGE: Record<Stage, string> = {
	api: 'the node makes no call this fault can answer',
	signed: 'no signed call of this node answers with a JSON body',
	file: 'the node downloads no file',
	stream: 'the node reads no event stream',
	credential: 'the node signs no call',
};

export function cellOf(row: FaultRow, column: Column): Cell | NotApplicable {
	const reason = column.noCalls ?? column.notApplicable?.[row.id];
	if (reason) return { row, column, reason };
	const preferred = column.prefer?.[row.id];
	for (const stage of preferred ? [preferred] : row.stages) {
		const call = column.stages[stage];
		if (call) return { row, column, stage, call };
	}
	return { row, column, reason: MISSING_STAGE[row.stages[0]] };
}

export function isCell(entry: Cell | NotApplicable): entry is Cell {
	return 'call' in entry;
}

export const MATRIX: ReadonlyArray<Cell | NotApplicable> = FAULT_ROWS.flatMap((row) => COLUMNS.map((column) => cellOf(row, column)));
