// Tables for screening vital signs and the eligibility decision (helper: screening).
export {};
