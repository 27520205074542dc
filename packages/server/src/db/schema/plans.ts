// Tables for treatment plans and preparation notes (helper: plans).
export {};
