-- intelligence's tables: the assistant's chat sessions and messages, uploaded documents split into
-- searchable passages, the reports it produces (analyses, threat assessments, briefings) and the
-- model tokens each user spends. campaign_id is a campaigns id and user ids are auth's: no foreign
-- keys across services. A row with campaign_id NULL is private to its owner (and admins).

-- A conversation belongs to the user who started it; campaign_id is the campaign it is about, if any.
CREATE TABLE chat_sessions (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id TEXT NOT NULL,
  campaign_id UUID,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX chat_sessions_user ON chat_sessions (user_id, updated_at DESC);
CREATE INDEX chat_sessions_updated ON chat_sessions (updated_at);

-- seq orders a session's messages (pagination cursor); mode says how an answer was produced.
CREATE TABLE chat_messages (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  seq BIGSERIAL NOT NULL UNIQUE,
  session_id UUID NOT NULL REFERENCES chat_sessions (id) ON DELETE CASCADE,
  user_id TEXT NOT NULL,
  role VARCHAR(20) NOT NULL CHECK (role IN ('user', 'assistant')),
  content TEXT NOT NULL,
  mode VARCHAR(20) CHECK (mode IN ('model', 'offline')),
  figures JSONB NOT NULL DEFAULT '[]'::jsonb,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX chat_messages_session ON chat_messages (session_id, seq);
CREATE INDEX chat_messages_created ON chat_messages (created_at);
CREATE INDEX chat_messages_user ON chat_messages (user_id);

-- An upload: content as given (base64 for PDF and DOCX), the extracted text once processed.
CREATE TABLE documents (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  filename VARCHAR(255) NOT NULL,
  format VARCHAR(20) NOT NULL CHECK (format IN ('text', 'markdown', 'pdf', 'docx')),
  content TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  uploaded_by TEXT NOT NULL,
  campaign_id UUID,
  uploaded_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  status VARCHAR(20) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processed', 'failed')),
  processed BOOLEAN NOT NULL DEFAULT false,
  processed_at TIMESTAMPTZ,
  error TEXT,
  text TEXT,
  summary TEXT,
  passage_count INTEGER NOT NULL DEFAULT 0,
  event_published_at TIMESTAMPTZ
);
CREATE INDEX documents_uploaded_by ON documents (uploaded_by);
CREATE INDEX documents_campaign ON documents (campaign_id);
CREATE INDEX documents_uploaded_at ON documents (uploaded_at);

-- A document's passages, the unit of search: the heading weighs more than the body.
CREATE TABLE passages (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  document_id UUID NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
  campaign_id UUID,
  owner_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  heading TEXT NOT NULL DEFAULT '',
  body TEXT NOT NULL,
  tsv TSVECTOR GENERATED ALWAYS AS (
    setweight(to_tsvector('english', coalesce(heading, '')), 'A') || setweight(to_tsvector('english', body), 'B')
  ) STORED,
  UNIQUE (document_id, position)
);
CREATE INDEX passages_tsv ON passages USING GIN (tsv);
CREATE INDEX passages_campaign ON passages (campaign_id);
CREATE INDEX passages_owner ON passages (owner_id) WHERE campaign_id IS NULL;

-- Reports: analyses of a document, threat assessments of a campaign, briefings. content is the
-- typed result (model.ts ReportContent) as JSON; title and summary are searchable.
CREATE TABLE reports (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  kind VARCHAR(30) NOT NULL CHECK (kind IN ('analysis', 'threat_assessment', 'briefing')),
  analysis_type VARCHAR(20) CHECK (analysis_type IN ('summary', 'sentiment', 'entities', 'claims', 'risk')),
  document_id UUID REFERENCES documents (id) ON DELETE CASCADE,
  campaign_id UUID,
  owner_id TEXT NOT NULL,
  title TEXT NOT NULL,
  summary TEXT NOT NULL,
  content JSONB NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  tsv TSVECTOR GENERATED ALWAYS AS (
    setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', summary), 'B')
  ) STORED
);
CREATE INDEX reports_tsv ON reports USING GIN (tsv);
CREATE INDEX reports_created ON reports (created_at DESC, id);
CREATE INDEX reports_campaign ON reports (campaign_id, created_at DESC);
CREATE INDEX reports_owner ON reports (owner_id, created_at DESC);

-- Model tokens spent, per user and call.
CREATE TABLE token_usage (
  id BIGSERIAL PRIMARY KEY,
  user_id TEXT NOT NULL,
  session_id UUID,
  purpose VARCHAR(30) NOT NULL,
  model VARCHAR(100) NOT NULL,
  prompt_tokens INTEGER NOT NULL,
  completion_tokens INTEGER NOT NULL,
  total_tokens INTEGER NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX token_usage_user ON token_usage (user_id, created_at);
