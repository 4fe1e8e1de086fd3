import type { DianjinData } from './services/dianjin-data';
import type { IceData } from './services/ice-data';
import type { EmulatorState } from './state';

export interface ServiceContext {
	state: EmulatorState;
	ice: IceData;
	dianjin: DianjinData;
}
