import { FaultQueue } from './faults';
import { NonceStore } from './nonces';
import { ChatbotStore } from './services/chatbot-store';
import { StsControl } from './services/ram-roles';
import { SIGNATURE_WINDOW_MS } from './signature';
import type { IceScript } from './services/ice-script';
import type { CcaiStreamMode, RecordedRequest } from './types';
import { type ApiVariants, DEFAULT_VARIANTS } from './variants';

/** Everything tests can change at run time; reset() puts it back to how startEmulator left it. */
export class EmulatorState {
	/** Same array for the emulator's lifetime, so references held by tests stay live. */
	readonly requests: RecordedRequest[] = [];
	readonly faults = new FaultQueue();
	readonly nonces = new NonceStore(SIGNATURE_WINDOW_MS);
	readonly chatbot = new ChatbotStore();
	readonly sts = new StsControl();
	latencyMs: number;
	ccaiQps: number | undefined;
	/** Times of admitted AnalyzeConversation calls inside the last second. */
	ccaiWindow: number[] = [];
	ccaiStreamMode: CcaiStreamMode = 'incremental';
	/** Pause between the pieces of a streamed response. */
	sseGapMs = 1;
	/** Alternative answer shapes (issue 14); see variants.ts. */
	variants: ApiVariants = { ...DEFAULT_VARIANTS };
	/** Scripted ICE calls (services/ice-script.ts); set by startEmulator once the ICE data exists. */
	iceScript?: IceScript;

	constructor(private readonly initialLatencyMs: number) {
		this.latencyMs = initialLatencyMs;
	}

	reset(): void {
		this.requests.length = 0;
		this.faults.clear();
		this.nonces.clear();
		this.chatbot.clear();
		this.sts.reset();
		this.latencyMs = this.initialLatencyMs;
		this.ccaiQps = undefined;
		this.ccaiWindow = [];
		this.ccaiStreamMode = 'incremental';
		this.variants = { ...DEFAULT_VARIANTS };
		this.iceScript?.reset();
	}
}
