// Public exports of the dosing area.
export {};
