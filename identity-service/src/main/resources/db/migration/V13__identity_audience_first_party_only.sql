-- identity-service's own API (audience onenet-identity: administration, the user's factors, consents and
-- delegations) is for first-party clients only. Clients registered before this rule without audiences were given
-- all three APIs; a third-party client loses onenet-identity here and keeps the others.
UPDATE oauth_client
   SET audiences = array_to_string(array_remove(regexp_split_to_array(trim(audiences), '\s+'), 'onenet-identity'), ' '),
       updated_at = now(),
       version = version + 1
 WHERE NOT first_party
   AND 'onenet-identity' = ANY (regexp_split_to_array(trim(audiences), '\s+'));
