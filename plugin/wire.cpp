#include "plugin/wire.h"

#include <bit>
#include <cassert>
#include <cstring>
#include <memory>
#include <type_traits>

namespace wire {

namespace {

// The smallest encoding of each element a count may announce.
constexpr std::size_t kRequestBytes = 4 + 8 + 8;
constexpr std::size_t kPrePrepareBytes = 8 + 8 + 8 + kRequestBytes + 4;
constexpr std::size_t kVoteBytes = 8 + 8 + 8 + 4;
constexpr std::size_t kCheckpointBytes = 8 + 8 + 4;
constexpr std::size_t kPreparedCertBytes = kPrePrepareBytes + 4;
constexpr std::size_t kViewChangeBytes = 8 + 8 + 4 + 4 + 4;
constexpr std::size_t kClientRecordBytes = 8 + 8;

class Writer {
 public:
  explicit Writer(Bytes& out) : out_(out) {}
  template <class T>
  void put(T v) {
    static_assert(std::is_unsigned_v<T>);
    const std::size_t at = out_.size();
    out_.resize(at + sizeof(T));
    if constexpr (std::endian::native == std::endian::little) {
      std::memcpy(out_.data() + at, &v, sizeof(T));  // every message crosses the ABI: no byte loop
    } else {
      for (std::size_t i = 0; i < sizeof(T); ++i) out_[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
    }
  }
  void count(std::size_t n) { put(static_cast<std::uint32_t>(n)); }

  void body(const pbft::Request& r) {
    put(r.client);
    put(r.timestamp);
    put(r.operation);
  }
  void body(const pbft::PrePrepare& p) {
    put(p.view);
    put(p.seq);
    put(p.digest);
    body(p.request);
    put(p.replica);
  }
  template <class Vote>
    requires std::is_same_v<Vote, pbft::Prepare> || std::is_same_v<Vote, pbft::Commit>
  void body(const Vote& v) {
    put(v.view);
    put(v.seq);
    put(v.digest);
    put(v.replica);
  }
  void body(const pbft::Reply& r) {
    put(r.view);
    put(r.timestamp);
    put(r.client);
    put(r.replica);
    put(r.result);
  }
  void body(const pbft::Checkpoint& c) {
    put(c.seq);
    put(c.state_digest);
    put(c.replica);
  }
  void body(const pbft::PreparedCert& c) {
    body(c.pre_prepare);
    all(c.prepares);
  }
  void body(const pbft::ViewChange& v) {
    put(v.new_view);
    put(v.stable_seq);
    all(v.checkpoint_proof);
    all(v.prepared);
    put(v.replica);
  }
  void body(const pbft::NewView& v) {
    put(v.view);
    all(v.view_changes);
    all(v.pre_prepares);
    put(v.replica);
  }
  void body(const pbft::FetchState& f) {
    put(f.seq);
    put(f.replica);
  }
  void body(const pbft::Status& m) {
    put(m.view);
    put(m.stable_seq);
    put(m.last_executed);
    put(m.replica);
  }
  void body(const pbft::ServiceState& s) {
    put(s.applied);
    put(s.chain);
    count(s.clients.size());
    for (const auto& c : s.clients) {
      put(c.timestamp);
      put(c.result);
    }
  }
  void body(const pbft::StateTransfer& t) {
    put(t.seq);
    body(t.state ? *t.state : pbft::ServiceState{});
    all(t.proof);
    put(t.replica);
  }
  template <class T>
  void body(const std::shared_ptr<const T>& p) {
    assert(p != nullptr);  // the simulator never sends a null VIEW-CHANGE or NEW-VIEW
    body(*p);
  }
  template <class T>
  void all(const std::vector<T>& items) {
    count(items.size());
    for (const auto& i : items) body(i);
  }

 private:
  Bytes& out_;
};

class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> in) : in_(in) {}
  template <class T>
  T get() {
    if (in_.size() - at_ < sizeof(T)) throw Malformed("truncated");
    T v = 0;
    if constexpr (std::endian::native == std::endian::little) {
      std::memcpy(&v, in_.data() + at_, sizeof(T));
    } else {
      for (std::size_t i = 0; i < sizeof(T); ++i) v |= static_cast<T>(in_[at_ + i]) << (8 * i);
    }
    at_ += sizeof(T);
    return v;
  }
  // A count that the remaining bytes could hold, so garbage cannot make us
  // allocate gigabytes.
  std::size_t count(std::size_t min_element_size) {
    const std::uint32_t n = get<std::uint32_t>();
    if (n > (in_.size() - at_) / min_element_size) throw Malformed("count past the end");
    return n;
  }
  void end() const {
    if (at_ != in_.size()) throw Malformed("trailing bytes");
  }

  pbft::Request request() {
    pbft::Request r;
    r.client = get<std::uint32_t>();
    r.timestamp = get<std::uint64_t>();
    r.operation = get<std::uint64_t>();
    return r;
  }
  pbft::PrePrepare pre_prepare() {
    pbft::PrePrepare p;
    p.view = get<std::uint64_t>();
    p.seq = get<std::uint64_t>();
    p.digest = get<std::uint64_t>();
    p.request = request();
    p.replica = get<std::uint32_t>();
    return p;
  }
  template <class Vote>
  Vote vote() {
    Vote v;
    v.view = get<std::uint64_t>();
    v.seq = get<std::uint64_t>();
    v.digest = get<std::uint64_t>();
    v.replica = get<std::uint32_t>();
    return v;
  }
  pbft::Reply reply() {
    pbft::Reply r;
    r.view = get<std::uint64_t>();
    r.timestamp = get<std::uint64_t>();
    r.client = get<std::uint32_t>();
    r.replica = get<std::uint32_t>();
    r.result = get<std::uint64_t>();
    return r;
  }
  pbft::Checkpoint checkpoint() {
    pbft::Checkpoint c;
    c.seq = get<std::uint64_t>();
    c.state_digest = get<std::uint64_t>();
    c.replica = get<std::uint32_t>();
    return c;
  }
  std::vector<pbft::Checkpoint> checkpoints() {
    std::vector<pbft::Checkpoint> out(count(kCheckpointBytes));
    for (auto& c : out) c = checkpoint();
    return out;
  }
  pbft::ViewChange view_change() {
    pbft::ViewChange v;
    v.new_view = get<std::uint64_t>();
    v.stable_seq = get<std::uint64_t>();
    v.checkpoint_proof = checkpoints();
    v.prepared.resize(count(kPreparedCertBytes));
    for (auto& c : v.prepared) {
      c.pre_prepare = pre_prepare();
      c.prepares.resize(count(kVoteBytes));
      for (auto& p : c.prepares) p = vote<pbft::Prepare>();
    }
    v.replica = get<std::uint32_t>();
    return v;
  }
  pbft::NewView new_view() {
    pbft::NewView v;
    v.view = get<std::uint64_t>();
    v.view_changes.resize(count(kViewChangeBytes));
    for (auto& c : v.view_changes) c = view_change();
    v.pre_prepares.resize(count(kPrePrepareBytes));
    for (auto& p : v.pre_prepares) p = pre_prepare();
    v.replica = get<std::uint32_t>();
    return v;
  }
  pbft::ServiceState state() {
    pbft::ServiceState s;
    s.applied = get<std::uint64_t>();
    s.chain = get<std::uint64_t>();
    s.clients.resize(count(kClientRecordBytes));
    for (auto& c : s.clients) {
      c.timestamp = get<std::uint64_t>();
      c.result = get<std::uint64_t>();
    }
    return s;
  }
  pbft::StateTransfer state_transfer() {
    pbft::StateTransfer t;
    t.seq = get<std::uint64_t>();
    t.state = std::make_shared<const pbft::ServiceState>(state());
    t.proof = checkpoints();
    t.replica = get<std::uint32_t>();
    return t;
  }

 private:
  std::span<const std::uint8_t> in_;
  std::size_t at_ = 0;
};

}  // namespace

void encode(const pbft::Message& m, Bytes& out) {
  Writer w(out);
  w.put(static_cast<std::uint8_t>(m.index()));
  std::visit([&](const auto& body) { w.body(body); }, m);
}

void encode(const pbft::ServiceState& s, Bytes& out) { Writer(out).body(s); }

pbft::Message decode_message(std::span<const std::uint8_t> bytes) {
  Reader r(bytes);
  pbft::Message m;
  switch (static_cast<pbft::MessageKind>(r.get<std::uint8_t>())) {
    case pbft::MessageKind::request: m = r.request(); break;
    case pbft::MessageKind::pre_prepare: m = r.pre_prepare(); break;
    case pbft::MessageKind::prepare: m = r.vote<pbft::Prepare>(); break;
    case pbft::MessageKind::commit: m = r.vote<pbft::Commit>(); break;
    case pbft::MessageKind::reply: m = r.reply(); break;
    case pbft::MessageKind::checkpoint: m = r.checkpoint(); break;
    case pbft::MessageKind::view_change: m = std::make_shared<const pbft::ViewChange>(r.view_change()); break;
    case pbft::MessageKind::new_view: m = std::make_shared<const pbft::NewView>(r.new_view()); break;
    case pbft::MessageKind::fetch_state: {
      pbft::FetchState f;
      f.seq = r.get<std::uint64_t>();
      f.replica = r.get<std::uint32_t>();
      m = f;
      break;
    }
    case pbft::MessageKind::state_transfer: m = r.state_transfer(); break;
    case pbft::MessageKind::status: {
      pbft::Status st;
      st.view = r.get<std::uint64_t>();
      st.stable_seq = r.get<std::uint64_t>();
      st.last_executed = r.get<std::uint64_t>();
      st.replica = r.get<std::uint32_t>();
      m = st;
      break;
    }
    default: throw Malformed("unknown message kind");
  }
  r.end();
  return m;
}

pbft::ServiceState decode_state(std::span<const std::uint8_t> bytes) {
  Reader r(bytes);
  pbft::ServiceState s = r.state();
  r.end();
  return s;
}

}  // namespace wire
