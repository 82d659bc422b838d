"""Every write of the applications app, one module per job: access codes, drafts, documents,
submission, what happens after submission, and partners' consent."""
