package cn.onenet.catalog.service.search;

import org.apache.lucene.search.Query;

/**
 * A query built from one request's matching set: equal only to itself, so no query cache ever matches it with
 * another request's set.
 */
abstract class RequestQuery extends Query {

    @Override
    public final boolean equals(Object other) {
        return this == other;
    }

    @Override
    public final int hashCode() {
        return System.identityHashCode(this);
    }
}
