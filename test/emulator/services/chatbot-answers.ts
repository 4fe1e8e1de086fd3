import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { FIXTURES } from '../fixture-ids';

/** One streamed answer step: the whole answer so far (the chatbot stream is cumulative). */
export interface AnswerStep {
	content: string | undefined;
	end: boolean;
}

export interface PlannedAnswer {
	steps: AnswerStep[];
	querySegList: string[];
	source: string;
	commands?: Record<string, string>;
}

interface SeedValue {
	MessageBody?: { DirectMessageBody: { SentenceList: Array<{ Content: string }> } };
	QuerySegList?: string[];
	Source?: string;
	StreamEnd: boolean;
}

function loadSeedValues(): SeedValue[] {
	const text = readFileSync(join(__dirname, '..', 'fixtures', 'chatbot-seed.sse'), 'utf8');
	return text
		.split(/\n\n/)
		.map((block) => block.trim())
		.filter((block) => block.startsWith('data:'))
		.map((block) => JSON.parse(JSON.parse(block.slice(5)).data[0].value) as SeedValue);
}

const SEED_VALUES = loadSeedValues();

function isSeedUtterance(utterance: string): boolean {
	return utterance.trim().replace('？', '?') === FIXTURES.chatbot.seedUtterance;
}

/** The real transcript, step by step: a bare first event, four empty ones, then the growing answer. */
function seedAnswer(): PlannedAnswer {
	const withBody = SEED_VALUES.find((v) => v.MessageBody);
	return {
		steps: SEED_VALUES.map((v) => ({
			content: v.MessageBody?.DirectMessageBody.SentenceList.map((s) => s.Content).join(''),
			end: v.StreamEnd,
		})),
		querySegList: withBody?.QuerySegList ?? [],
		source: withBody?.Source ?? 'NON_STRUCTURAL_KNOWLEDGE',
	};
}

/** Cumulative prefixes at roughly a fifth, half, three quarters and all of the text. */
function growingSteps(answer: string): AnswerStep[] {
	const chars = [...answer];
	const cuts = [0.2, 0.5, 0.75, 1].map((f) => Math.max(1, Math.round(chars.length * f)));
	return [
		{ content: undefined, end: false },
		{ content: '', end: false },
		...cuts.map((cut) => ({ content: chars.slice(0, cut).join(''), end: false })),
		{ content: answer, end: true },
	];
}

function segment(utterance: string): string[] {
	return [...utterance].filter((c) => c.trim() !== '');
}

export function planAnswer(utterance: string, turn: number, previousUtterance: string | undefined): PlannedAnswer {
	if (isSeedUtterance(utterance)) return seedAnswer();
	const history = turn > 1 && previousUtterance !== undefined ? `上一轮您说的是“${previousUtterance}”。` : '';
	if (utterance.includes(FIXTURES.chatbot.handoffKeyword)) {
		return {
			steps: growingSteps(`第${turn}轮：${history}好的，正在为您转接人工客服，请稍候。`),
			querySegList: segment(utterance),
			source: 'BotFramework',
			commands: { sysToAgent: FIXTURES.chatbot.handoffCommand },
		};
	}
	const answer = `第${turn}轮：${history}您刚才说的是“${utterance}”。这是模拟机器人的确定性回答，会分几步逐渐生成。`;
	return { steps: growingSteps(answer), querySegList: segment(utterance), source: 'NON_STRUCTURAL_KNOWLEDGE' };
}
