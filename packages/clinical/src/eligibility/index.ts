// Public exports of the eligibility area.
export {};
