-- 090_model_card_fields.sql: the models kind gains what a Hugging Face model
-- card says of a model (languages, tags, library, base models and how the
-- model derives from them). Records keep their fields in the records' data
-- (010_records.sql), so no table changes. This migration marks the schema
-- version the fields came with (`since` 90 in src/core/kind_model.c): ledger
-- entries written before it committed to model records without them.
SELECT 1;
