-- Which claim took a delivery to 'sending': when the answer to the claiming UPDATE is lost (the
-- connection dropped after the commit), the claimer puts back exactly the rows it took.
ALTER TABLE alert_deliveries ADD COLUMN claim_token UUID;
