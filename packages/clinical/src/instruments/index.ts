// Public exports of the instruments area.
export {};
