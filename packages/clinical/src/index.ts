// @kapstone/clinical: the public API. Pure functions, no I/O, no clock or randomness inside rules.
export {};
