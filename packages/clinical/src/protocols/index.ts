// Public exports of the protocols area.
export {};
