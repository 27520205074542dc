// Public exports of the monitoring area.
export {};
