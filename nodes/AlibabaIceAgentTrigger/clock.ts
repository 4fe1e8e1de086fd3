/**
 * The trigger's one source of the current time (receivedAt, Repeat Window). A plain object so
 * tests can replace `now` and run hours of deliveries on a faked clock.
 */
export const triggerClock = {
	now: (): number => Date.now(),
};
