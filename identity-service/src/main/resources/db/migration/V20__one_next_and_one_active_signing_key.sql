-- At most one NEXT and one ACTIVE signing key per algorithm. KeyService changes keys under an advisory lock, so
-- replicas no longer race to create them; these indexes are the backstop. Keys made twice before this version by
-- replicas starting or rotating together are cleared up first: of several NEXT keys the oldest stays (the others
-- never signed anything), of several ACTIVE keys the one activated last stays and the others retire, published for a
-- day, well past the lifetime of any token they signed.
DELETE FROM signing_key k
 WHERE k.status = 'NEXT'
   AND EXISTS (SELECT 1 FROM signing_key o
                WHERE o.alg = k.alg AND o.status = 'NEXT' AND (o.created_at, o.kid) < (k.created_at, k.kid));

UPDATE signing_key k
   SET status = 'RETIRED', retired_at = now(), remove_after = now() + interval '1 day'
 WHERE k.status = 'ACTIVE'
   AND EXISTS (SELECT 1 FROM signing_key o
                WHERE o.alg = k.alg AND o.status = 'ACTIVE'
                  AND (coalesce(o.activated_at, o.created_at), o.kid) > (coalesce(k.activated_at, k.created_at), k.kid));

CREATE UNIQUE INDEX signing_key_one_next ON signing_key (alg) WHERE status = 'NEXT';
CREATE UNIQUE INDEX signing_key_one_active ON signing_key (alg) WHERE status = 'ACTIVE';
