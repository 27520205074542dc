// Public exports of the outcomes area.
export {};
