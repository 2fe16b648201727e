#define BOOST_TEST_MODULE byos_audit
#include <boost/test/unit_test.hpp>
