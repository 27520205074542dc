// Tables for instrument assignments, questionnaire responses and their observations (helper: measures).
export {};
