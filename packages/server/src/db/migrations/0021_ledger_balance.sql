-- The controlled-substance ledger is append-only (21 CFR 1304.21(a): a complete and accurate record): entries,
-- lots and products are never changed or removed; a mistake is corrected by a reversing entry
-- (kapstone_reject_change from migration 0002). Locations are configuration and may be corrected (audited).
CREATE TRIGGER ledger_entry_append_only
  BEFORE UPDATE OR DELETE ON ledger_entry
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER ledger_entry_no_truncate
  BEFORE TRUNCATE ON ledger_entry
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER ledger_lot_append_only
  BEFORE UPDATE OR DELETE ON ledger_lot
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER ledger_lot_no_truncate
  BEFORE TRUNCATE ON ledger_lot
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER ledger_product_append_only
  BEFORE UPDATE OR DELETE ON ledger_product
  FOR EACH ROW EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
CREATE TRIGGER ledger_product_no_truncate
  BEFORE TRUNCATE ON ledger_product
  FOR EACH STATEMENT EXECUTE FUNCTION kapstone_reject_change();
--> statement-breakpoint
-- Every entry is checked against its lot by the database, whatever wrote it. The lot row is locked
-- (FOR UPDATE), so entries of one lot are checked one after another even from concurrent transactions; under
-- READ COMMITTED each statement below sees what the previous lock holder committed. The entry must belong to
-- the lot's location, count whole devices or troches, and not take the balance below zero; a correction must
-- reverse an entry of the same lot exactly. The trigger derives quantity_mg from the product's concentration
-- and writes the balance after the entry.
CREATE FUNCTION kapstone_ledger_entry_check() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  lot_location uuid;
  lot_unit text;
  lot_concentration numeric;
  reversed_lot uuid;
  reversed_quantity numeric;
  reversed_kind text;
  balance numeric;
BEGIN
  SELECT l.location_id, p.unit, p.concentration_mg_per_unit
    INTO lot_location, lot_unit, lot_concentration
    FROM ledger_lot l
    JOIN ledger_product p ON p.clinic_id = l.clinic_id AND p.id = l.product_id
   WHERE l.clinic_id = NEW.clinic_id AND l.id = NEW.lot_id
     FOR UPDATE OF l;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'ledger_entry: lot % does not exist in clinic %', NEW.lot_id, NEW.clinic_id
      USING ERRCODE = 'foreign_key_violation';
  END IF;
  IF lot_location <> NEW.location_id THEN
    RAISE EXCEPTION 'ledger_entry: the entry''s location is not the lot''s'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_entry_lot_location';
  END IF;
  IF lot_unit <> 'mL' AND NEW.quantity <> trunc(NEW.quantity) THEN
    RAISE EXCEPTION 'ledger_entry: % are counted in whole units', lot_unit
      USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_entry_whole_units';
  END IF;
  IF NEW.kind = 'correction' THEN
    SELECT lot_id, quantity, kind INTO reversed_lot, reversed_quantity, reversed_kind
      FROM ledger_entry
     WHERE clinic_id = NEW.clinic_id AND id = NEW.reverses_id;
    IF NOT FOUND OR reversed_lot <> NEW.lot_id OR reversed_quantity <> -NEW.quantity
       OR reversed_kind = 'correction' THEN
      RAISE EXCEPTION 'ledger_entry: a correction reverses one entry of the same lot, quantity for quantity'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_entry_correction_reverses';
    END IF;
  END IF;
  SELECT COALESCE(SUM(quantity), 0) INTO balance
    FROM ledger_entry
   WHERE clinic_id = NEW.clinic_id AND lot_id = NEW.lot_id;
  IF balance + NEW.quantity < 0 THEN
    RAISE EXCEPTION 'ledger_entry: lot % holds %, the entry takes %: the balance cannot go below zero',
      NEW.lot_id, balance, -NEW.quantity
      USING ERRCODE = 'check_violation', CONSTRAINT = 'ledger_entry_balance_nonnegative';
  END IF;
  NEW.quantity_mg := round(NEW.quantity * lot_concentration, 3);
  NEW.balance_after := balance + NEW.quantity;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER ledger_entry_check
  BEFORE INSERT ON ledger_entry
  FOR EACH ROW EXECUTE FUNCTION kapstone_ledger_entry_check();
